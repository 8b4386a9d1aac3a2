package io.github.threadlens.blocking;

import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;

import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.PrintableText;
import org.jspecify.annotations.Nullable;

/**
 * The virtual threads of the JDK's JSON thread dump, each with its pool: the name of the
 * ThreadLens-instrumented executor whose thread container started it; otherwise the pool its
 * name gives it, as a platform thread's would ({@code tomcat-handler-12} is in
 * {@code tomcat-handler}); otherwise, for a thread without a name, its container's name. The
 * dump lists platform threads too, which {@link ThreadGrouping} reads itself: a thread whose id
 * is a live platform thread's, before or after the dump, is left out.
 */
public final class VirtualThreadDump {

	/** The container of threads not started in one. */
	static final String ROOT_CONTAINER = "<root>";

	/** The longest container name shown as a pool. */
	private static final int MAX_POOL_LENGTH = 200;

	private final JdkThreadDump dump;

	private final ThreadMXBean threads;

	private final PoolNamer namer;

	private final Supplier<Map<String, String>> executorsByContainer;

	/**
	 * Create the virtual thread dump.
	 * @param dump the JDK's dump
	 * @param threads the thread MXBean, which knows the platform threads
	 * @param namer names the pool of a thread from its name
	 * @param executorsByContainer the names of the instrumented executors by the name of their
	 * thread container, read at each dump
	 */
	public VirtualThreadDump(JdkThreadDump dump, ThreadMXBean threads, PoolNamer namer,
			Supplier<Map<String, String>> executorsByContainer) {
		this.dump = dump;
		this.threads = threads;
		this.namer = namer;
		this.executorsByContainer = executorsByContainer;
	}

	/**
	 * Dump the threads and visit the virtual ones.
	 * @param maxFrames the most top frames read per thread
	 * @param visitor called once per virtual thread
	 */
	void forEach(int maxFrames, Visitor visitor) {
		Map<String, String> executors = this.executorsByContainer.get();
		long[] before = sorted(this.threads.getAllThreadIds());
		this.dump.read((json) -> {
			long[] after = sorted(this.threads.getAllThreadIds());
			DumpedThreads.read(json, maxFrames, (container, tid, name, state, frames) -> {
				long id = parseId(tid);
				if (id >= 0 && Arrays.binarySearch(before, id) < 0 && Arrays.binarySearch(after, id) < 0) {
					visitor.visit(poolOf(executors, container, name), state, frames, name);
				}
			});
			return null;
		});
	}

	private String poolOf(Map<String, String> executors, String container, String name) {
		String executor = executors.get(container);
		if (executor != null) {
			return executor;
		}
		if (!name.isEmpty() || container.equals(ROOT_CONTAINER)) {
			return this.namer.poolOfName(name);
		}
		return PrintableText.of(container, MAX_POOL_LENGTH);
	}

	private static long[] sorted(long[] ids) {
		Arrays.sort(ids);
		return ids;
	}

	private static long parseId(String tid) {
		try {
			return Long.parseLong(tid);
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * Sees each virtual thread of a dump.
	 */
	@FunctionalInterface
	interface Visitor {

		/**
		 * See a virtual thread.
		 * @param pool its pool
		 * @param state its state as the dump gives it, {@code null} when it does not
		 * @param frames its top frames, innermost first
		 * @param name its name
		 */
		void visit(String pool, @Nullable String state, StackTraceElement[] frames, String name);

	}

}
