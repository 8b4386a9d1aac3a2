package io.github.threadlens.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.RecordingTimerSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MonitoredScheduledExecutorServiceTests {

	private final RecordingTimerSink timers = new RecordingTimerSink();

	private final ExecutorMonitors monitors = new ExecutorMonitors(new TimerSinks(List.of(this.timers)),
			new ThreadAttribution(), List.of(Duration.ofMillis(10)));

	private final List<ScheduledThreadPoolExecutor> pools = new ArrayList<>();

	@AfterEach
	void shutdown() throws InterruptedException {
		for (ScheduledThreadPoolExecutor pool : this.pools) {
			pool.shutdownNow();
			pool.awaitTermination(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void aDelayedTaskWaitsFromWhenItWasDueNotFromSubmission() throws Exception {
		ScheduledExecutorService executor = this.monitors.monitorPart(pool(), "delayed", OptionalInt.empty());
		AtomicLong ranAt = new AtomicLong();
		long submittedBefore = System.nanoTime();
		executor.schedule(() -> ranAt.set(System.nanoTime()), 50, TimeUnit.MILLISECONDS).get();
		Awaits.count(() -> this.timers.recorded(ThreadLensMeters.EXECUTOR, "delayed").size(), 1);
		long lateness = this.timers.recorded(ThreadLensMeters.EXECUTOR_IDLE, "delayed").get(0);
		assertThat(lateness).isLessThanOrEqualTo(ranAt.get() - submittedBefore - TimeUnit.MILLISECONDS.toNanos(50));
	}

	@Test
	void everyRunOfAPeriodicTaskIsTimed() throws Exception {
		ScheduledExecutorService executor = this.monitors.monitorPart(pool(), "periodic", OptionalInt.empty());
		CountDownLatch runs = new CountDownLatch(3);
		ScheduledFuture<?> rate = executor.scheduleAtFixedRate(runs::countDown, 0, 1, TimeUnit.MILLISECONDS);
		Awaits.hold(runs);
		rate.cancel(false);
		CountDownLatch delayedRuns = new CountDownLatch(3);
		ScheduledFuture<?> delay = executor.scheduleWithFixedDelay(delayedRuns::countDown, 0, 1,
				TimeUnit.MILLISECONDS);
		Awaits.hold(delayedRuns);
		delay.cancel(false);
		// A run counts down before its end is recorded.
		Awaits.atLeast(() -> this.timers.recorded(ThreadLensMeters.EXECUTOR, "periodic").size(), 6);
		assertThat(this.timers.recorded(ThreadLensMeters.EXECUTOR_IDLE, "periodic")).allMatch((nanos) -> nanos >= 0);
	}

	@Test
	void cancellingATaskTakesItOffTheDelegatesQueue() {
		ScheduledThreadPoolExecutor pool = pool();
		pool.setRemoveOnCancelPolicy(true);
		ScheduledExecutorService executor = this.monitors.monitorPart(pool, "cancelled", OptionalInt.empty());
		Future<?> later = executor.schedule(() -> "late", 1, TimeUnit.HOURS);
		assertThat(pool.getQueue()).hasSize(1);
		later.cancel(false);
		assertThat(pool.getQueue()).isEmpty();
	}

	@Test
	void aCallableThatThrowsFailsItsFutureAndCounts() throws Exception {
		ScheduledExecutorService executor = this.monitors.monitorPart(pool(), "failing", OptionalInt.empty());
		Future<Object> future = executor.submit(() -> {
			throw new Exception("checked");
		});
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(future::get)
			.withMessageContaining("checked");
		Awaits.count(() -> this.monitors.monitor("failing").failed(), 1);
		assertThat(executor.submit(() -> "fine").get()).isEqualTo("fine");
		assertThat(this.monitors.monitor("failing").failed()).isEqualTo(1);
	}

	@Test
	void aRefusalIsCountedOnceAndThrown() {
		ScheduledThreadPoolExecutor pool = pool();
		ScheduledExecutorService executor = this.monitors.monitorPart(pool, "refusing", OptionalInt.empty());
		pool.shutdown();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.submit(() -> {
		}));
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> executor.schedule(() -> "x", 1, TimeUnit.SECONDS));
		assertThat(this.monitors.monitor("refusing").rejected()).isEqualTo(2);
	}

	@Test
	void thePartsGaugesAreSummedAndATerminatedPartLeaves() throws Exception {
		ScheduledThreadPoolExecutor first = pool();
		ScheduledThreadPoolExecutor second = pool();
		this.monitors.monitorPart(first, "parts", OptionalInt.of(4)).submit(() -> "one").get();
		this.monitors.monitorPart(second, "parts", OptionalInt.of(4)).submit(() -> "two").get();
		assertThat(gauge(ThreadLensMeters.EXECUTOR_POOL_SIZE, "parts")).isEqualTo(2);
		assertThat(gauge(ThreadLensMeters.EXECUTOR_POOL_MAX, "parts")).isEqualTo(4);
		assertThat(this.monitors.maxThreads("parts")).hasValue(4);
		first.shutdown();
		first.awaitTermination(30, TimeUnit.SECONDS);
		assertThat(gauge(ThreadLensMeters.EXECUTOR_POOL_SIZE, "parts")).isEqualTo(1);
		second.shutdown();
		second.awaitTermination(30, TimeUnit.SECONDS);
		assertThat(rows(ThreadLensMeters.EXECUTOR_POOL_SIZE).keys()).doesNotContain(List.of("parts"));
	}

	private double gauge(MeterDefinition definition, String name) {
		Rows rows = rows(definition);
		assertThat(rows.keys()).contains(List.of(name));
		return rows.get(List.of(name));
	}

	private Rows rows(MeterDefinition definition) {
		for (ObservedMeter meter : this.monitors.meters().meters()) {
			if (meter.definition().equals(definition)) {
				return meter.source().get();
			}
		}
		throw new AssertionError("No meter " + definition.name());
	}

	private ScheduledThreadPoolExecutor pool() {
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1);
		this.pools.add(pool);
		return pool;
	}

}
