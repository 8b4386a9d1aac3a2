package io.github.threadlens.blocking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.PlatformManagedObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

/**
 * The JDK's own thread dump in JSON, {@code HotSpotDiagnosticMXBean.dumpThreads} (JDK 21+):
 * the only public view of virtual threads, each in the thread container that started it. The
 * method and its format are looked up at run time, so that ThreadLens still compiles for and
 * runs on JDK 17, where there is no such dump.
 * <p>
 * The JDK writes the dump to a file only, whose path must be absolute and must not exist: it
 * goes to a directory of its own, removed with the file once read, whatever happens.
 */
public final class JdkThreadDump {

	/** The MXBean's interface, found by name. */
	public static final String MXBEAN_INTERFACE = "com.sun.management.HotSpotDiagnosticMXBean";

	/** The enum of the dump's formats (JDK 21+), found by name. */
	public static final String FORMAT = MXBEAN_INTERFACE + "$ThreadDumpFormat";

	private final Object mxBean;

	private final Method dumpThreads;

	private final Object json;

	private JdkThreadDump(Object mxBean, Method dumpThreads, Object json) {
		this.mxBean = mxBean;
		this.dumpThreads = dumpThreads;
		this.json = json;
	}

	/**
	 * The dump of this JVM, when it has one.
	 * @return the dump, or {@code null} before JDK 21
	 */
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public static @Nullable JdkThreadDump ofThisJvm() {
		try {
			Class<? extends PlatformManagedObject> type = (Class<? extends PlatformManagedObject>) Class
				.forName(MXBEAN_INTERFACE);
			Class<? extends Enum> format = (Class<? extends Enum>) Class.forName(FORMAT);
			Method dumpThreads = type.getMethod("dumpThreads", String.class, format);
			return new JdkThreadDump(ManagementFactory.getPlatformMXBean(type), dumpThreads,
					Enum.valueOf(format, "JSON"));
		}
		catch (ClassNotFoundException | NoSuchMethodException ex) {
			return null;
		}
	}

	/**
	 * Dump every thread and read the dump.
	 * @param <T> what the reader makes of it
	 * @param reader reads the dump, in the JDK's JSON format
	 * @return what the reader made of it
	 */
	public <T> T read(DumpReader<T> reader) {
		Path directory = null;
		Path file = null;
		try {
			directory = Files.createTempDirectory("threadlens-dump");
			file = directory.resolve("threads.json").toAbsolutePath();
			this.dumpThreads.invoke(this.mxBean, file.toString(), this.json);
			try (InputStream in = Files.newInputStream(file)) {
				return reader.read(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The JDK's thread dump could not be read", ex);
		}
		catch (InvocationTargetException ex) {
			throw new IllegalStateException("The JDK's thread dump failed", ex.getCause());
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("The JDK's thread dump cannot be called", ex);
		}
		finally {
			deleteQuietly(file);
			deleteQuietly(directory);
		}
	}

	private static void deleteQuietly(@Nullable Path path) {
		if (path == null) {
			return;
		}
		try {
			Files.deleteIfExists(path);
		}
		catch (IOException ex) {
			// Left in the temporary directory rather than fail the request that read it.
		}
	}

	/**
	 * Reads a dump.
	 *
	 * @param <T> what it makes of the dump
	 */
	@FunctionalInterface
	public interface DumpReader<T> {

		/**
		 * Read a dump.
		 * @param json the dump
		 * @return what was made of it
		 * @throws IOException when the dump cannot be read
		 */
		T read(InputStream json) throws IOException;

	}

}
