package io.github.threadlens.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The CPU time of this JVM's native threads, from Linux's {@code /proc/self/task/<tid>/schedstat}
 * (its first field: nanoseconds on CPU), summed per thread name ({@code comm}). Unlike
 * {@code ThreadMXBean} it sees the JVM's own threads, the VM thread that performs
 * {@code getThreadInfo}'s stack walks at a safepoint among them, and unlike
 * {@code OperatingSystemMXBean.getProcessCpuTime()}, which Linux reports in 10 ms clock ticks,
 * it has nanosecond resolution.
 * <p>
 * Threads named with a given prefix (the parked threads, which use no CPU) can be left out so
 * that a reading stays a few dozen small file reads at 10,000 threads; the threads are listed
 * again only when their number changed. A thread that ends between two readings takes its CPU
 * time since the first one with it.
 */
final class TaskClocks {

	private static final Path TASKS = Path.of("/proc/self/task");

	private final Set<String> excluded = new HashSet<>();

	private final Set<String> included = new HashSet<>();

	static boolean available() {
		return Files.isReadable(TASKS.resolve(String.valueOf(ProcessHandle.current().pid())).resolve("schedstat"));
	}

	/**
	 * Leave out the threads alive now whose name starts with a prefix.
	 * @param prefix the name prefix
	 * @return how many threads are left out
	 */
	int exclude(String prefix) throws IOException {
		this.excluded.clear();
		this.included.clear();
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
			for (Path task : tasks) {
				String name = read(task, "comm");
				if (name != null && name.startsWith(prefix)) {
					this.excluded.add(task.getFileName().toString());
				}
			}
		}
		return this.excluded.size();
	}

	/**
	 * Read the CPU time of every thread not left out.
	 * @return nanoseconds on CPU per thread name
	 */
	Map<String, Long> read() throws IOException {
		if (threadCount() != this.excluded.size() + this.included.size()) {
			// A thread started or ended: list them again, which at 10,000 threads costs more
			// than the reads themselves.
			this.included.clear();
			try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
				for (Path task : tasks) {
					String tid = task.getFileName().toString();
					if (!this.excluded.contains(tid)) {
						this.included.add(tid);
					}
				}
			}
		}
		Map<String, Long> cpu = new TreeMap<>();
		for (String tid : this.included) {
			Path task = TASKS.resolve(tid);
			String name = read(task, "comm");
			String schedstat = read(task, "schedstat");
			if (name != null && schedstat != null) {
				cpu.merge(name, Long.parseLong(schedstat.split(" ", 2)[0]), Long::sum);
			}
		}
		return cpu;
	}

	private static int threadCount() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("Threads:")) {
				return Integer.parseInt(line.substring("Threads:".length()).strip());
			}
		}
		throw new IllegalStateException("No thread count in /proc/self/status");
	}

	private static String read(Path task, String file) throws IOException {
		try {
			return Files.readString(task.resolve(file)).strip();
		}
		catch (NoSuchFileException ex) {
			// The thread ended meanwhile.
			return null;
		}
	}

}
