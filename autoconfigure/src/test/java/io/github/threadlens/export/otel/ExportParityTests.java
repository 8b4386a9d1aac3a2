package io.github.threadlens.export.otel;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.OptionalInt;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.blocking.BlockingSampler;
import io.github.threadlens.blocking.CollectorFailures;
import io.github.threadlens.blocking.ContentionMonitoring;
import io.github.threadlens.blocking.DeadlockDetector;
import io.github.threadlens.blocking.LeakDetector;
import io.github.threadlens.blocking.LockSnapshots;
import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.OpenTelemetryFold;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.CensusMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.executor.ExecutorMonitor;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.VirtualThreadScheduler;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.MicrometerTimerSink;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.testsupport.InMemoryOpenTelemetry;
import io.github.threadlens.testsupport.RealThreads;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

/**
 * Every catalog entry reports the same values on the Micrometer path and the OpenTelemetry
 * path for the same real threads.
 */
class ExportParityTests {

	/** The entries the virtual-thread scheduler's MXBean feeds, and JFR's pinning timer. */
	private static final Set<MeterDefinition> SCHEDULER_ENTRIES = Set.of(ThreadLensMeters.VIRTUAL_PARALLELISM,
			ThreadLensMeters.VIRTUAL_POOL_SIZE, ThreadLensMeters.VIRTUAL_LIVE, ThreadLensMeters.VIRTUAL_PINNED);

	private static final List<Duration> BUCKETS = List.of(Duration.ofMillis(1), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofSeconds(1));

	private final RealThreads threads = new RealThreads();

	private final InMemoryOpenTelemetry otel = new InMemoryOpenTelemetry();

	private final ForkJoinPool forkJoinPool = new ForkJoinPool(2);

	private ThreadPoolExecutor pool;

	@AfterEach
	void close() throws Exception {
		this.threads.close();
		this.otel.close();
		this.forkJoinPool.shutdownNow();
		if (this.pool != null) {
			this.pool.shutdownNow();
		}
	}

	@Test
	void everyCatalogEntryReportsTheSameValuesOnBothPaths() throws Exception {
		// Larger than any pool other tests of this JVM leave running (a cached context's
		// Tomcat keeps 10 workers), so that it is among the pools the cap of 3 publishes.
		this.threads.start("parity-waiting", 40, Thread.State.WAITING);
		this.threads.start("parity-blocked", 3, Thread.State.BLOCKED);
		this.threads.start("parity-sleeping", 4, Thread.State.TIMED_WAITING);
		// A frozen clock: both paths read one census snapshot.
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
				Duration.ofSeconds(1), () -> 0L);
		CappedPoolStates poolStates = new CappedPoolStates(census, new PoolCap(3),
				EnumSet.of(Thread.State.RUNNABLE, Thread.State.BLOCKED, Thread.State.WAITING,
						Thread.State.TIMED_WAITING));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		Meter otelMeter = this.otel.sdk().getMeter("test");
		ExecutorMonitors executors = new ExecutorMonitors(
				new TimerSinks(List.of(new MicrometerTimerSink(registry), new OtelTimerSink(otelMeter))),
				new ThreadAttribution(), BUCKETS);
		this.pool = runTasks(executors);
		CollectorFailures failures = new CollectorFailures();
		LockSnapshots snapshots = new LockSnapshots(ManagementFactory.getThreadMXBean(), () -> 0L);
		DeadlockDetector deadlocks = new DeadlockDetector(snapshots, Duration.ofSeconds(1), () -> 0L, failures);
		BlockingSampler sampler = new BlockingSampler(ManagementFactory.getThreadMXBean(),
				new ThreadRoster(new PoolNamer(new ThreadAttribution(), List.of())), snapshots,
				() -> poolStates.current().pools(), new BlockingSampler.Settings(Duration.ofSeconds(10), 0.01,
						Duration.ofMillis(2), 64, List.of(8, 16, 32)),
				() -> 0L, failures);
		try (ContentionMonitoring monitoring = ContentionMonitoring.turnOn(ManagementFactory.getThreadMXBean(),
				failures)) {
			sampler.sample();
		}
		LeakDetector leaks = new LeakDetector(census, Duration.ofMinutes(10), 20, (pool) -> OptionalInt.empty(),
				() -> poolStates.current().pools(), () -> 0L);
		List<ObservedMeters> families = new ArrayList<>(List.of(CensusMeters.of(census), poolStates.meters(),
				executors.meters(), deadlocks.meters(), sampler.meters(), leaks.meters(), failures.meters()));
		// Published where the JDK has the scheduler's MXBean (24+), absent before.
		VirtualThreadScheduler scheduler = VirtualThreadScheduler.ofThisJvm();
		if (scheduler != null) {
			families.add(scheduler.meters());
		}
		try (CensusJvmThreadMetrics jvm = new CensusJvmThreadMetrics(census);
				ObservedMeterBinder binder = new ObservedMeterBinder(families);
				OtelCatalogPublisher publisher = new OtelCatalogPublisher(otelMeter, families)) {
			jvm.bindTo(registry);
			binder.bindTo(registry);
			for (MeterDefinition definition : ThreadLensMeters.all()) {
				if (scheduler == null && SCHEDULER_ENTRIES.contains(definition)) {
					continue;
				}
				if (definition.kind() == MeterKind.TIMER) {
					// The JFR timers go through the same TimerSinks; JfrContentionTests
					// drives them with real contention.
					if (definition.tagKeys().contains(ThreadLensMeters.NAME)) {
						assertSameHistogramOnBothPaths(registry, definition);
					}
				}
				else {
					assertSameOnBothPaths(registry, definition);
				}
			}
			assertThat(micrometerByTags(registry, ThreadLensMeters.THREADS_POOL_STATES))
				.containsEntry("{pool=parity-waiting, state=waiting}", 40.0)
				.containsKey("{pool=other, state=runnable}");
		}
	}

	private ThreadPoolExecutor runTasks(ExecutorMonitors executors) throws Exception {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2));
		ExecutorService executor = executors.monitor(pool, "parity");
		CountDownLatch release = new CountDownLatch(1);
		executor.execute(() -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		Future<?> fails = executor.submit(() -> {
			throw new IllegalStateException("fails");
		});
		Future<?> sleeps = executor.submit(() -> {
			Thread.sleep(30);
			return null;
		});
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.submit(() -> 1));
		Thread.sleep(20);
		release.countDown();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> fails.get(30, TimeUnit.SECONDS));
		sleeps.get(30, TimeUnit.SECONDS);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (pool.getCompletedTaskCount() < 3 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		ExecutorService forkJoin = executors.monitor(this.forkJoinPool, "parity-fork-join");
		forkJoin.submit(() -> 1).get(30, TimeUnit.SECONDS);
		// A thread-per-task executor's running count, as a virtual-thread executor publishes it.
		ExecutorMonitor perTask = executors.monitorThreadPerTask("parity-virtual", true);
		perTask.wrap(() -> {
		}).run();
		return pool;
	}

	private void assertSameHistogramOnBothPaths(SimpleMeterRegistry registry, MeterDefinition definition) {
		Timer timer = registry.get(definition.name()).tag("name", "parity").timer();
		HistogramPointData otel = this.otel.collectHistogram(definition, "parity");
		assertThat(otel.getCount()).as(definition.name()).isEqualTo(timer.count()).isEqualTo(3);
		assertThat(otel.getSum()).as(definition.name()).isCloseTo(timer.totalTime(TimeUnit.SECONDS), within(1e-6));
		assertThat(otel.getBoundaries()).isEqualTo(BUCKETS.stream().map((bucket) -> bucket.toNanos() / 1e9).toList());
		CountAtBucket[] micrometerBuckets = timer.takeSnapshot().histogramCounts();
		long cumulative = 0;
		for (int i = 0; i < BUCKETS.size(); i++) {
			cumulative += otel.getCounts().get(i);
			assertThat(micrometerBuckets[i].count()).as("%s le %s", definition.name(), BUCKETS.get(i))
				.isEqualTo(cumulative);
		}
	}

	private void assertSameOnBothPaths(SimpleMeterRegistry registry, MeterDefinition definition) {
		if (!definition.micrometer()) {
			// Checked through the Micrometer entries it folds together.
			return;
		}
		// Peak and started come from the JVM's counters: retry if a JVM thread started
		// between the two reads.
		for (int attempt = 0; attempt < 20; attempt++) {
			Map<Map<String, String>, Double> micrometer = micrometer(registry, definition);
			Map<Map<String, String>, Double> otel = openTelemetry(definition);
			if (micrometer.equals(otel) && micrometer.equals(micrometer(registry, definition))) {
				assertThat(otel).as(definition.name()).isNotEmpty();
				return;
			}
		}
		assertThat(openTelemetry(definition)).as(definition.name()).isEqualTo(micrometer(registry, definition));
	}

	/**
	 * An entry's series on the OpenTelemetry path; for an entry that the semantic conventions
	 * fold into another instrument, that instrument's series summed back to the entry's tags.
	 */
	private Map<Map<String, String>, Double> openTelemetry(MeterDefinition definition) {
		if (definition.openTelemetryName() != null) {
			return this.otel.points(definition.openTelemetryName());
		}
		OpenTelemetryFold fold = ThreadLensMeters.openTelemetryFold(definition)
			.orElseThrow(() -> new AssertionError(definition.name() + " has no counterpart on the OpenTelemetry path"));
		Map<String, String> folded = new HashMap<>();
		fold.tags()
			.forEach((tagKey, value) -> folded.put(ThreadLensMeters.openTelemetryAttribute(tagKey),
					ThreadLensMeters.openTelemetryValue(tagKey, value)));
		Predicate<Map<String, String>> filter = (attributes) -> attributes.entrySet().containsAll(folded.entrySet());
		if (definition.equals(ThreadLensMeters.EXECUTOR_POOL_SIZE)) {
			// A pool without a size (one thread per task) reports its active threads only,
			// and has no executor.pool.size on Micrometer.
			String name = ThreadLensMeters.openTelemetryAttribute(ThreadLensMeters.NAME);
			String threadState = ThreadLensMeters.openTelemetryAttribute(ThreadLensMeters.EXECUTOR_THREAD_STATE);
			Set<String> sized = this.otel.points(fold.instrument().openTelemetryName())
				.keySet()
				.stream()
				.filter((attributes) -> attributes.get(threadState).equals("idle"))
				.map((attributes) -> attributes.get(name))
				.collect(Collectors.toSet());
			filter = filter.and((attributes) -> sized.contains(attributes.get(name)));
		}
		return sum(fold.instrument(), filter, definition.openTelemetryAttributeKeys());
	}

	private Map<Map<String, String>, Double> sum(MeterDefinition instrument, Predicate<Map<String, String>> filter,
			List<String> by) {
		Map<Map<String, String>, Double> sums = new HashMap<>();
		this.otel.points(instrument.openTelemetryName()).forEach((attributes, value) -> {
			if (filter.test(attributes)) {
				Map<String, String> kept = new TreeMap<>(attributes);
				kept.keySet().retainAll(by);
				sums.merge(kept, value, Double::sum);
			}
		});
		return sums;
	}

	/** The entry's Micrometer series, with its tags written as OpenTelemetry attributes. */
	private static Map<Map<String, String>, Double> micrometer(SimpleMeterRegistry registry,
			MeterDefinition definition) {
		Map<Map<String, String>, Double> values = new HashMap<>();
		for (io.micrometer.core.instrument.Meter meter : registry.find(definition.name()).meters()) {
			Map<String, String> attributes = new TreeMap<>();
			for (Tag tag : meter.getId().getTags()) {
				attributes.put(ThreadLensMeters.openTelemetryAttribute(tag.getKey()),
						ThreadLensMeters.openTelemetryValue(tag.getKey(), tag.getValue()));
			}
			values.put(attributes, meter.measure().iterator().next().getValue());
		}
		return values;
	}

	private static Map<String, Double> micrometerByTags(SimpleMeterRegistry registry, MeterDefinition definition) {
		Map<String, Double> values = new TreeMap<>();
		for (io.micrometer.core.instrument.Meter meter : registry.find(definition.name()).meters()) {
			Map<String, String> tags = new TreeMap<>();
			for (Tag tag : meter.getId().getTags()) {
				tags.put(tag.getKey(), tag.getValue());
			}
			values.put(tags.toString(), meter.measure().iterator().next().getValue());
		}
		return values;
	}

}
