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
 * policy, the published counts are exactly the outcomes the tasks and their producers saw,
 * counted apart from ThreadLens, and they only ever grow.
 */
class ExecutorInvariantTests {

	private static final int PRODUCERS = 8;

	private static final int TASKS_PER_PRODUCER = 125_000;

	@ParameterizedTest
	@ValueSource(strings = { "abort", "caller-runs" })
	void publishedCountsAreTheOutcomesTheTasksHad(String policy) throws Exception {
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
		Outcomes seen = new Outcomes();
		CountDownLatch start = new CountDownLatch(1);
		List<Thread> producers = new ArrayList<>();
		for (int p = 0; p < PRODUCERS; p++) {
			Thread producer = new Thread(() -> produce(executor, start, seen));
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

		long rejected = seen.thrownAtCaller.sum() + seen.ranInCaller.sum();
		assertThat(seen.completed.sum() + seen.failed.sum() + rejected).as("every task has one outcome")
			.isEqualTo((long) PRODUCERS * TASKS_PER_PRODUCER);
		assertThat(seen.failed.sum()).as("failures thrown in the pool").isPositive();
		assertThat(rejected).as("rejections").isPositive();
		assertThat(monitor.failed()).isEqualTo(seen.failed.sum());
		assertThat(monitor.rejected()).isEqualTo(rejected);
		long ranInPool = seen.completed.sum() + seen.failed.sum();
		assertThat(timers.count(ThreadLensMeters.EXECUTOR)).isEqualTo(ranInPool);
		assertThat(timers.count(ThreadLensMeters.EXECUTOR_IDLE)).isEqualTo(ranInPool);
		// The executor's own policy still decides what the caller sees.
		if (policy.equals("abort")) {
			assertThat(seen.ranInCaller.sum()).isZero();
		}
		else {
			assertThat(seen.thrownAtCaller.sum()).isZero();
		}
		assertThat(regressions).isEmpty();
	}

	private static void produce(ExecutorService executor, CountDownLatch start, Outcomes seen) {
		try {
			start.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		Thread producer = Thread.currentThread();
		for (int i = 1; i <= TASKS_PER_PRODUCER; i++) {
			boolean fails = i % 100 == 0;
			try {
				executor.execute(() -> seen.run(producer, fails));
			}
			catch (RejectedExecutionException ex) {
				seen.thrownAtCaller.increment();
			}
			catch (IllegalStateException ex) {
				// A failing task that caller-runs ran in this thread: counted as it ran.
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
	 * The outcome of every task as the task or its producer saw it, counted apart from
	 * ThreadLens. A refused task that caller-runs runs in its producer is a rejection, not a
	 * run, whether it then throws or not.
	 */
	private static final class Outcomes {

		private final LongAdder completed = new LongAdder();

		private final LongAdder failed = new LongAdder();

		private final LongAdder thrownAtCaller = new LongAdder();

		private final LongAdder ranInCaller = new LongAdder();

		void run(Thread producer, boolean fails) {
			if (Thread.currentThread() == producer) {
				this.ranInCaller.increment();
			}
			else {
				(fails ? this.failed : this.completed).increment();
			}
			if (fails) {
				throw new IllegalStateException("every hundredth task fails");
			}
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
