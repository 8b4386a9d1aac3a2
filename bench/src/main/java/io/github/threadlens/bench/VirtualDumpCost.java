package io.github.threadlens.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.RuntimeMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import io.github.threadlens.blocking.JdkThreadDump;
import io.github.threadlens.blocking.ThreadGrouping;
import io.github.threadlens.blocking.VirtualThreadDump;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadRoster;

/**
 * What {@code /actuator/threadlens?virtual=true} costs with many parked virtual threads: the
 * JDK's JSON thread dump alone, written and read, and with ThreadLens's reading and grouping of
 * it, against the grouped dump of the platform threads that the endpoint takes without the
 * parameter, in the same JVM over the same threads. Each
 * operation runs a few times unmeasured, then {@code --reps} times, each reading the calling
 * thread's CPU clock, the process's CPU clock (the VM thread's handshakes and any collection
 * included), the bytes the calling thread allocated and {@code System.nanoTime()}, the clock of
 * the safepoint log's {@code tn} decoration, so that the tables attribute each pause to its
 * operation. The heap after a full collection is read with the virtual threads parked, before
 * and after the operations: what an operation retains.
 * <p>
 * Arguments: {@code --out=<json>} (required), {@code --safepoint-log=<file>} (the file given
 * to {@code -Xlog:safepoint}), {@code --threads=1000,10000}, {@code --reps=10}. Before JDK 21
 * there are neither virtual threads nor the dump: the result says so and holds no reading.
 */
public final class VirtualDumpCost {

	private static final int WARMUP = 3;

	private final ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private final PoolNamer namer = new PoolNamer(new ThreadAttribution(), List.of());

	private final ThreadGrouping grouping = new ThreadGrouping(this.threads, new ThreadRoster(this.namer));

	private VirtualDumpCost() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (!arg.startsWith("--") || equals < 0) {
				throw new IllegalArgumentException("Expected --option=value: " + arg);
			}
			options.put(arg.substring(2, equals), arg.substring(equals + 1));
		}
		String out = options.get("out");
		if (out == null) {
			throw new IllegalArgumentException("--out=... is required");
		}
		List<Integer> counts = new ArrayList<>();
		for (String count : options.getOrDefault("threads", "1000,10000").split(",")) {
			counts.add(Integer.parseInt(count.strip()));
		}
		int reps = Integer.parseInt(options.getOrDefault("reps", "10"));
		Json.write(Path.of(out), new VirtualDumpCost().run(counts, reps, options.get("safepoint-log")));
		System.out.println("VirtualDumpCost: wrote " + out);
	}

	private Map<String, Object> run(List<Integer> counts, int reps, String safepointLog) throws Exception {
		RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("harness", VirtualDumpCost.class.getName());
		result.put("vmName", runtime.getVmName());
		result.put("vmVersion", runtime.getVmVersion());
		result.put("inputArguments", runtime.getInputArguments());
		result.put("safepointLog", (safepointLog != null) ? Path.of(safepointLog).getFileName().toString() : null);
		result.put("settings", Map.of("threads", counts, "reps", reps, "warmup", WARMUP));
		JdkThreadDump dump = JdkThreadDump.ofThisJvm();
		if (dump == null) {
			result.put("skipped", "needs JDK 21+");
			return result;
		}
		List<Object> runs = new ArrayList<>();
		for (int count : counts) {
			runs.add(measure(count, reps, dump));
		}
		result.put("runs", runs);
		return result;
	}

	private Map<String, Object> measure(int count, int reps, JdkThreadDump dump) throws Exception {
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("virtualThreads", count);
		try (ParkedVirtualThreads parked = new ParkedVirtualThreads(count)) {
			run.put("platformThreads", this.threads.getThreadCount());
			run.put("heapAfterGcBefore", heapAfterGc());
			Map<String, Object> operations = new LinkedHashMap<>();
			operations.put("platformGrouped", readings(reps, () -> {
				this.grouping.group(null, null, null, 5, 20);
				return 0;
			}));
			operations.put("jdkJsonDump", readings(reps, () -> dump.read(VirtualDumpCost::drain)));
			VirtualThreadDump virtualThreads = new VirtualThreadDump(dump, this.threads, this.namer, Map::of);
			operations.put("virtualGrouped", readings(reps, () -> {
				this.grouping.group(null, null, null, 5, 20, virtualThreads);
				return 0;
			}));
			run.put("operations", operations);
			run.put("heapAfterGcAfter", heapAfterGc());
		}
		return run;
	}

	/** The bytes of a dump, read and dropped: the JDK's own cost of writing it. */
	private static long drain(InputStream in) throws IOException {
		long bytes = 0;
		byte[] buffer = new byte[8192];
		for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
			bytes += read;
		}
		return bytes;
	}

	private List<Map<String, Object>> readings(int reps, LongSupplier operation) {
		for (int i = 0; i < WARMUP; i++) {
			operation.getAsLong();
		}
		List<Map<String, Object>> readings = new ArrayList<>();
		for (int i = 0; i < reps; i++) {
			long allocated = this.threads.getCurrentThreadAllocatedBytes();
			long process = this.os.getProcessCpuTime();
			long cpu = this.threads.getCurrentThreadCpuTime();
			long start = System.nanoTime();
			long bytes = operation.getAsLong();
			long end = System.nanoTime();
			Map<String, Object> reading = new LinkedHashMap<>();
			reading.put("startNanos", start);
			reading.put("endNanos", end);
			reading.put("threadCpuNanos", this.threads.getCurrentThreadCpuTime() - cpu);
			reading.put("processCpuNanos", this.os.getProcessCpuTime() - process);
			reading.put("allocatedBytes", this.threads.getCurrentThreadAllocatedBytes() - allocated);
			reading.put("dumpBytes", bytes);
			readings.add(reading);
		}
		return readings;
	}

	private long heapAfterGc() {
		System.gc();
		return this.memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Virtual threads parked on a latch, started through the JDK's virtual-thread executor,
	 * found at run time since this harness compiles for JDK 17.
	 */
	private static final class ParkedVirtualThreads implements AutoCloseable {

		private final CountDownLatch release = new CountDownLatch(1);

		private final ExecutorService executor;

		ParkedVirtualThreads(int count) throws Exception {
			this.executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor")
				.invoke(null);
			List<Thread> started = new ArrayList<>();
			CountDownLatch running = new CountDownLatch(count);
			for (int i = 0; i < count; i++) {
				this.executor.execute(() -> {
					synchronized (started) {
						started.add(Thread.currentThread());
					}
					running.countDown();
					await(this.release);
				});
			}
			running.await();
			synchronized (started) {
				for (Thread thread : started) {
					while (thread.getState() != Thread.State.WAITING) {
						Thread.sleep(1);
					}
				}
			}
		}

		private static void await(CountDownLatch latch) {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		@Override
		public void close() {
			this.release.countDown();
			this.executor.shutdown();
			try {
				this.executor.awaitTermination(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
