package io.github.threadlens.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSink;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million tasks from many producers into a small bounded pool: whatever the rejection
 * policy, every task ends in exactly one outcome, and the counters only ever grow.
 */
class ExecutorInvariantTests {

	private static final int PRODUCERS = 8;

	private static final int TASKS_PER_PRODUCER = 125_000;

	@ParameterizedTest
	@ValueSource(strings = { "abort", "caller-runs" })
	void completedPlusFailedPlusRejectedEqualsSubmitted(String policy) throws Exception {
		CountingTimerSink timers = new CountingTimerSink();
		ExecutorMonitors monitors = new ExecutorMonitors(new TimerSinks(List.of(timers)), new ThreadAttribution(),
				List.of(Duration.ofMillis(1)));
		RejectedExecutionHandler handler = policy.equals("abort") ? new ThreadPoolExecutor.AbortPolicy()
				: new ThreadPoolExecutor.CallerRunsPolicy();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
				handler);
		ExecutorService executor = monitors.monitor(pool, policy);
		ExecutorMonitor monitor = monitors.monitor(policy);
		Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
		});
		AtomicBoolean running = new AtomicBoolean(true);
		List<String> regressions = new ArrayList<>();
		Thread watcher = new Thread(() -> watchMonotonic(monitor, timers, running, regressions));
		watcher.start();
		LongAdder thrownAtCaller = new LongAdder();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			Thread producer = new Thread(() -> produce(executor, start, thrownAtCaller));
			producer.start();
			producers.add(producer);
		}
		start.countDown();
		for (Thread producer : producers) {
			producer.join();
		}
		pool.shutdown();
		assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
		running.set(false);
		watcher.join();
		Thread.setDefaultUncaughtExceptionHandler(previous);

		long submitted = (long) PRODUCERS * TASKS_PER_PRODUCER;
		long runs = timers.count(ThreadLensMeters.EXECUTOR);
		long completed = runs - monitor.failed();
		assertThat(completed + monitor.failed() + monitor.rejected()).isEqualTo(submitted);
		assertThat(timers.count(ThreadLensMeters.EXECUTOR_IDLE)).isEqualTo(runs);
		assertThat(monitor.failed()).isPositive().isLessThanOrEqualTo(submitted / 100);
		assertThat(monitor.rejected()).isPositive();
		if (policy.equals("abort")) {
			assertThat(thrownAtCaller.sum()).isEqualTo(monitor.rejected());
		}
		else {
			assertThat(thrownAtCaller.sum()).isZero();
		}
		assertThat(regressions).isEmpty();
	}

	private static void produce(ExecutorService executor, CountDownLatch start, LongAdder thrownAtCaller) {
		try {
			start.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		for (int i = 1; i <= TASKS_PER_PRODUCER; i++) {
			boolean fails = i % 100 == 0;
			try {
				executor.execute(() -> {
					if (fails) {
						throw new IllegalStateException("every hundredth task fails");
					}
				});
			}
			catch (RejectedExecutionException ex) {
				thrownAtCaller.increment();
			}
			catch (IllegalStateException ex) {
				// A failing task that caller-runs ran in this thread: counted as rejected.
			}
		}
	}

	private static void watchMonotonic(ExecutorMonitor monitor, CountingTimerSink timers, AtomicBoolean running,
			List<String> regressions) {
		long failed = 0;
		long rejected = 0;
		long runs = 0;
		while (running.get()) {
			long nowFailed = monitor.failed();
			long nowRejected = monitor.rejected();
			long nowRuns = timers.count(ThreadLensMeters.EXECUTOR);
			if (nowFailed < failed || nowRejected < rejected || nowRuns < runs) {
				regressions.add(failed + "/" + rejected + "/" + runs + " -> " + nowFailed + "/" + nowRejected + "/"
						+ nowRuns);
			}
			failed = nowFailed;
			rejected = nowRejected;
			runs = nowRuns;
			Thread.onSpinWait();
		}
	}

	/**
	 * Counts recordings per timer without keeping them: a million durations would only
	 * measure the test's own memory.
	 */
	private static final class CountingTimerSink implements TimerSink {

		private final AtomicLong idle = new AtomicLong();

		private final AtomicLong run = new AtomicLong();

		@Override
		public DurationRecorder timer(MeterDefinition definition, List<String> tagValues, List<Duration> buckets) {
			AtomicLong count = (definition == ThreadLensMeters.EXECUTOR_IDLE) ? this.idle : this.run;
			return (nanos) -> count.incrementAndGet();
		}

		long count(MeterDefinition definition) {
			return ((definition == ThreadLensMeters.EXECUTOR_IDLE) ? this.idle : this.run).get();
		}

	}

}
