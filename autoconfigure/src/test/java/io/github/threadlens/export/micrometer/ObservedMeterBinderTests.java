package io.github.threadlens.export.micrometer;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.CensusMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.RealThreads;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObservedMeterBinderTests {

	private static final Set<Thread.State> LIVE_STATES = EnumSet.of(Thread.State.RUNNABLE, Thread.State.BLOCKED,
			Thread.State.WAITING, Thread.State.TIMED_WAITING);

	private final RealThreads threads = new RealThreads();

	private final ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
			Duration.ZERO);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	@AfterEach
	void stopThreads() throws Exception {
		this.threads.close();
	}

	@Test
	void publishesCountsPerPoolAndState() throws Exception {
		this.threads.start("orders-exec", 3, Thread.State.WAITING);
		this.threads.start("billing-exec", 2, Thread.State.TIMED_WAITING);
		try (ObservedMeterBinder metrics = binder(64)) {
			metrics.bindTo(this.registry);
			assertThat(value("orders-exec", "waiting")).isEqualTo(3);
			assertThat(value("orders-exec", "timed-waiting")).isZero();
			assertThat(value("billing-exec", "timed-waiting")).isEqualTo(2);
			assertThat(this.registry.find("jvm.threads.pool.states").tag("state", "new").gauges()).isEmpty();
			Gauge gauge = this.registry.get("jvm.threads.pool.states").tag("pool", "orders-exec").tag("state", "waiting").gauge();
			assertThat(gauge.getId().getBaseUnit()).isEqualTo("threads");
			assertThat(gauge.getId().getDescription()).isNotBlank();
		}
	}

	@Test
	void seriesFollowPoolsThatAppearAndVanish() throws Exception {
		try (ObservedMeterBinder metrics = binder(64)) {
			metrics.bindTo(this.registry);
			assertThat(pools()).doesNotContain("late");
			RealThreads late = new RealThreads();
			late.start("late", 2, Thread.State.WAITING);
			scrape();
			assertThat(pools()).contains("late");
			assertThat(value("late", "waiting")).isEqualTo(2);
			late.close();
			scrape();
			assertThat(pools()).doesNotContain("late");
		}
	}

	@Test
	void foldsBeyondTheCapAndCountsOverflow() throws Exception {
		this.threads.start("big-one", 30, Thread.State.WAITING);
		this.threads.start("big-two", 20, Thread.State.WAITING);
		try (ObservedMeterBinder metrics = binder(2)) {
			metrics.bindTo(this.registry);
			assertThat(pools()).containsExactlyInAnyOrder("big-one", "big-two", ThreadLensMeters.OTHER);
			double overflow = this.registry.get("threadlens.cardinality.overflow")
				.tag("meter", "jvm.threads.pool.states")
				.functionCounter()
				.count();
			assertThat(overflow).isPositive();
		}
	}

	@Test
	void closingRemovesEveryMeter() throws Exception {
		ObservedMeterBinder metrics = binder(64);
		metrics.bindTo(this.registry);
		assertThat(this.registry.getMeters()).isNotEmpty();
		metrics.close();
		scrape();
		assertThat(this.registry.getMeters()).isEmpty();
	}

	private ObservedMeterBinder binder(int maxPools) {
		CappedPoolStates poolStates = new CappedPoolStates(this.census, new PoolCap(maxPools), LIVE_STATES);
		return new ObservedMeterBinder(List.of(poolStates.meters(), CensusMeters.of(this.census)));
	}

	@Test
	void leavesTheJvmThreadMetricsFamilyToItsBinder() throws Exception {
		try (ObservedMeterBinder metrics = binder(64)) {
			metrics.bindTo(this.registry);
			assertThat(this.registry.find("jvm.threads.states").meters()).isEmpty();
			assertThat(this.registry.find("jvm.threads.live").meters()).isEmpty();
		}
	}

	@Test
	void aJvmWideFamilyIsServedByOneBinderAndHandedOverWhenItCloses() throws Exception {
		ObservedMeterBinder first = new ObservedMeterBinder(List.of(failures(1)));
		first.bindTo(this.registry);
		try (ObservedMeterBinder second = new ObservedMeterBinder(List.of(failures(2)))) {
			second.bindTo(this.registry);
			assertThat(this.registry.find("threadlens.collector.failures").functionCounters()).hasSize(1);
			assertThat(failures()).as("served by the first binder").isEqualTo(1);
			first.close();
			assertThat(failures()).as("served by the second binder, not read from the closed one").isEqualTo(2);
		}
		assertThat(this.registry.find("threadlens.collector.failures").functionCounters()).isEmpty();
	}

	private static ObservedMeters failures(double count) {
		return new ObservedMeters("collector-failures", true, List.of(new ObservedMeter(
				ThreadLensMeters.COLLECTOR_FAILURES, () -> Rows.builder().add(count, "sampler").build())));
	}

	private double failures() {
		return this.registry.get("threadlens.collector.failures").functionCounter().count();
	}

	@Test
	void aCounterFoundGoneReportsItsLastValueWhicheverSeriesIsReadFirst() throws Exception {
		AtomicReference<Rows> rows = new AtomicReference<>(
				Rows.builder().add(5, "kept").add(7, "terminated").build());
		ObservedMeters family = new ObservedMeters("test", false,
				List.of(new ObservedMeter(ThreadLensMeters.EXECUTOR_COMPLETED, rows::get)));
		try (ObservedMeterBinder metrics = new ObservedMeterBinder(List.of(family))) {
			metrics.bindTo(this.registry);
			FunctionCounter kept = this.registry.get("executor.completed").tag("name", "kept").functionCounter();
			FunctionCounter terminated = this.registry.get("executor.completed")
				.tag("name", "terminated")
				.functionCounter();
			rows.set(Rows.builder().add(6, "kept").build());
			assertThat(kept.count()).as("read first, this read removes the other series").isEqualTo(6);
			assertThat(terminated.count()).isEqualTo(7);
			assertThat(this.registry.find("executor.completed").functionCounters()).hasSize(1);
		}
	}

	private void scrape() {
		for (Meter meter : this.registry.getMeters()) {
			meter.measure().forEach((measurement) -> measurement.getValue());
		}
	}

	private double value(String pool, String state) {
		return this.registry.get("jvm.threads.pool.states").tag("pool", pool).tag("state", state).gauge().value();
	}

	private Set<String> pools() {
		return this.registry.find("jvm.threads.pool.states")
			.gauges()
			.stream()
			.map((gauge) -> gauge.getId().getTag("pool"))
			.collect(Collectors.toSet());
	}

}
