package io.github.threadlens.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.management.OperatingSystemMXBean;
import io.github.threadlens.autoconfigure.SamplingProperties;
import io.github.threadlens.blocking.BlockingSampler;
import io.github.threadlens.blocking.CollectorFailures;
import io.github.threadlens.blocking.ContentionMonitoring;
import io.github.threadlens.catalog.ThreadLensMeters;

import org.springframework.boot.convert.DurationStyle;

/**
 * What the blocking sampler costs the JVM, measured rather than derived: not a JMH benchmark
 * but a plain program that {@code bench/run.sh} runs in a JVM of its own with
 * {@code -Xlog:safepoint=info:file=<log>:tn,uptime}.
 * <p>
 * For each thread count it starts that many parked threads in 50 pools
 * ({@link ParkedThreads}) and measures two windows in the same JVM:
 * <ol>
 * <li>the anchor: the same JVM and threads with no sampler running and thread contention
 * monitoring off, for {@code periods} times the sampler interval;</li>
 * <li>the sampler: a {@link BlockingSampler} built as ThreadLens's auto-configuration builds it
 * ({@link SamplerSetup}: {@link SamplingProperties} and the census properties bound with their
 * defaults), with thread contention monitoring turned on as the auto-configuration does,
 * started with {@link BlockingSampler#start()} so that it runs on its own schedule. The window runs from the
 * end of its first pass to the end of pass {@code periods + 1}: exactly {@code periods} whole
 * periods (delay and pass), so that it holds exactly {@code periods} passes whatever the
 * sampler's schedule turns out to be. The first pass is left out; back-to-back passes of a
 * throwaway sampler before the anchor ({@code --warmup}) have already loaded and compiled most
 * of the code, and what compilation is left falls in the window and counts.</li>
 * </ol>
 * At each window boundary and at each pass end (every interval in the anchor) it reads the
 * process CPU time ({@code OperatingSystemMXBean.getProcessCpuTime()}, 10 ms resolution on
 * Linux), the CPU time of every JVM thread but the parked ones ({@link TaskClocks}, nanosecond
 * resolution, the VM thread included) and the sampler thread's own CPU time (what the
 * sampler's budget sees). Readings carry {@code System.nanoTime()}, the clock of the safepoint
 * log's {@code tn} decoration, so that each safepoint in the log can be attributed to its
 * window. {@code bench/tables.py} turns the readings and the log into CPU shares and pauses.
 * <p>
 * Arguments: {@code --out=<json>} (required), {@code --safepoint-log=<file>} (the file given
 * to {@code -Xlog}, recorded for the tables), {@code --threads=1000,10000,30000},
 * {@code --periods=3}, {@code --anchor=<duration>} (default periods times the interval),
 * {@code --warmup=5s} (back-to-back passes), {@code --settle=3s} (after the warm-up and a
 * {@code System.gc()}), and any {@code threadlens.*=value} property of the sampler or the
 * census, e.g. {@code threadlens.sampling.interval=2s} for a short trial.
 */
public final class SamplerCost {

	private static final String PARKED_PREFIX = "bench";

	private static final List<String> OPTIONS = List.of("out", "safepoint-log", "threads", "periods", "anchor",
			"settle", "warmup");

	private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final TaskClocks tasks = TaskClocks.available() ? new TaskClocks() : null;

	private final SamplerSetup setup;

	private final SamplingProperties sampling;

	private final int periods;

	private final Duration anchor;

	private final Duration settle;

	private final Duration warmup;

	private SamplerCost(Map<String, String> properties, int periods, String anchor, Duration settle,
			Duration warmup) {
		this.setup = new SamplerSetup(properties);
		this.sampling = this.setup.sampling;
		this.periods = periods;
		this.anchor = (anchor != null) ? DurationStyle.detectAndParse(anchor)
				: this.sampling.interval().multipliedBy(periods);
		this.settle = settle;
		this.warmup = warmup;
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new LinkedHashMap<>();
		Map<String, String> properties = new LinkedHashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			if (equals < 0) {
				throw new IllegalArgumentException("Expected --option=value or threadlens.property=value: " + arg);
			}
			String key = arg.substring(0, equals);
			String value = arg.substring(equals + 1);
			if (key.startsWith("--") && OPTIONS.contains(key.substring(2))) {
				options.put(key.substring(2), value);
			}
			else if (key.startsWith("threadlens.")) {
				properties.put(key, value);
			}
			else {
				throw new IllegalArgumentException("Unknown argument: " + arg);
			}
		}
		Path out = Path.of(required(options, "out"));
		List<Integer> threadCounts = new ArrayList<>();
		for (String count : options.getOrDefault("threads", "1000,10000,30000").split(",")) {
			threadCounts.add(Integer.parseInt(count.strip()));
		}
		SamplerCost cost = new SamplerCost(properties, Integer.parseInt(options.getOrDefault("periods", "3")),
				options.get("anchor"), DurationStyle.detectAndParse(options.getOrDefault("settle", "3s")),
				DurationStyle.detectAndParse(options.getOrDefault("warmup", "5s")));
		Json.write(out, cost.run(threadCounts, properties, options.get("safepoint-log")));
		System.out.println("SamplerCost: wrote " + out);
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("--" + name + "=... is required");
		}
		return value;
	}

	private Map<String, Object> run(List<Integer> threadCounts, Map<String, String> properties, String safepointLog)
			throws Exception {
		RuntimeMXBean runtime = ManagementFactory.getRuntimeMXBean();
		if (runtime.getInputArguments().stream().noneMatch((argument) -> argument.startsWith("-Xlog:safepoint"))) {
			System.err.println("SamplerCost: no -Xlog:safepoint... on the command line, no pauses will be measured");
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("harness", SamplerCost.class.getName());
		result.put("javaVersion", System.getProperty("java.version"));
		result.put("javaVendor", System.getProperty("java.vendor"));
		result.put("vmName", runtime.getVmName());
		result.put("vmVersion", runtime.getVmVersion());
		result.put("inputArguments", runtime.getInputArguments());
		result.put("availableProcessors", Runtime.getRuntime().availableProcessors());
		result.put("safepointLog", (safepointLog != null) ? Path.of(safepointLog).getFileName().toString() : null);
		result.put("clock", "System.nanoTime(), the same clock as the -Xlog decoration 'tn' (timenanos)");
		result.put("taskClocks", this.tasks != null);
		result.put("overrides", properties);
		Map<String, Object> settings = new LinkedHashMap<>(this.setup.describe());
		settings.put("periods", this.periods);
		settings.put("anchorNanos", this.anchor.toNanos());
		settings.put("settleNanos", this.settle.toNanos());
		settings.put("warmupNanos", this.warmup.toNanos());
		settings.put("threads", threadCounts);
		result.put("settings", settings);
		result.put("logCheck", logCheck());
		List<Object> runs = new ArrayList<>();
		for (int count : threadCounts) {
			runs.add(measure(count));
		}
		result.put("runs", runs);
		return result;
	}

	/**
	 * A known safepoint operation between two readings of the clock, so that the tables can
	 * check that the log's timestamps and the readings' share one clock.
	 */
	private Map<String, Object> logCheck() {
		Map<String, Object> check = new LinkedHashMap<>();
		check.put("operation", "FindDeadlocks");
		check.put("fromNanos", System.nanoTime());
		this.threads.findDeadlockedThreads();
		check.put("toNanos", System.nanoTime());
		return check;
	}

	private Map<String, Object> measure(int count) throws Exception {
		System.out.printf("SamplerCost: %,d parked threads%n", count);
		Map<String, Object> run = new LinkedHashMap<>();
		run.put("threads", count);
		try (ParkedThreads parked = new ParkedThreads(count)) {
			run.put("liveThreads", this.threads.getThreadCount());
			if (this.tasks != null) {
				run.put("parkedTasksLeftOut", this.tasks.exclude(PARKED_PREFIX));
			}
			// Load and compile the sampler's code before the anchor, with a throwaway sampler.
			CollectorFailures failures = new CollectorFailures();
			BlockingSampler warmup = newSampler(failures);
			int warmupPasses = 0;
			for (long end = System.nanoTime() + this.warmup.toNanos(); System.nanoTime() < end; warmupPasses++) {
				warmup.sample();
			}
			run.put("warmupPasses", warmupPasses);
			System.gc();
			Thread.sleep(this.settle.toMillis());
			run.put("anchor", anchorWindow());
			run.put("sampler", samplerWindow(failures));
			Map<String, Long> failed = new LinkedHashMap<>();
			ThreadLensMeters.COLLECTORS.forEach((collector) -> failed.put(collector, failures.count(collector)));
			run.put("collectorFailures", failed);
		}
		return run;
	}

	private BlockingSampler newSampler(CollectorFailures failures) {
		return this.setup.newSampler(failures);
	}

	private Map<String, Object> anchorWindow() throws Exception {
		System.out.printf("SamplerCost:   anchor, %s%n", this.anchor);
		List<Object> readings = new ArrayList<>();
		long start = System.nanoTime();
		readings.add(reading(-1));
		long step = this.anchor.toNanos() / this.periods;
		for (int i = 1; i <= this.periods; i++) {
			long until = start + i * step;
			for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
				TimeUnit.NANOSECONDS.sleep(left);
			}
			readings.add(reading(-1));
		}
		Map<String, Object> window = new LinkedHashMap<>();
		window.put("readings", readings);
		return window;
	}

	private Map<String, Object> samplerWindow(CollectorFailures failures) throws Exception {
		System.out.printf("SamplerCost:   sampler, %d periods after its first pass%n", this.periods);
		BlockingQueue<long[]> passEnds = new LinkedBlockingQueue<>();
		long timeout = this.sampling.interval().toNanos() * 20 + TimeUnit.MINUTES.toNanos(1);
		Map<String, Object> window = new LinkedHashMap<>();
		try (ContentionMonitoring contention = ContentionMonitoring.turnOn(this.threads, failures);
				BlockingSampler sampler = newSampler(failures)) {
			AutoCloseable subscription = sampler.meters()
				.changes()
				.subscribe(() -> passEnds.add(new long[] { System.nanoTime(), Thread.currentThread().getId() }));
			long startedAt = System.nanoTime();
			sampler.start();
			long[] first = next(passEnds, timeout);
			long samplerThread = first[1];
			List<Object> readings = new ArrayList<>();
			readings.add(reading(samplerThread));
			List<Long> passes = new ArrayList<>();
			for (int i = 0; i < this.periods; i++) {
				passes.add(next(passEnds, timeout)[0]);
				readings.add(reading(samplerThread));
			}
			subscription.close();
			window.put("startedAtNanos", startedAt);
			window.put("firstPassEndNanos", first[0]);
			window.put("passEndNanos", passes);
			window.put("readings", readings);
		}
		return window;
	}

	private static long[] next(BlockingQueue<long[]> passEnds, long timeoutNanos) throws InterruptedException {
		long[] pass = passEnds.poll(timeoutNanos, TimeUnit.NANOSECONDS);
		if (pass == null) {
			throw new IllegalStateException("No sampler pass ended within " + Duration.ofNanos(timeoutNanos));
		}
		return pass;
	}

	private Map<String, Object> reading(long samplerThread) throws Exception {
		Map<String, Object> reading = new LinkedHashMap<>();
		reading.put("nanoTime", System.nanoTime());
		reading.put("processCpuNanos", this.os.getProcessCpuTime());
		reading.put("samplerThreadCpuNanos", (samplerThread < 0) ? 0 : this.threads.getThreadCpuTime(samplerThread));
		if (this.tasks != null) {
			reading.put("taskCpuNanos", this.tasks.read());
		}
		return reading;
	}

}
