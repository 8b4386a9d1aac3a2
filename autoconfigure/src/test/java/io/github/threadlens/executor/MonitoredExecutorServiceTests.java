package io.github.threadlens.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.PoolNameNormalizer;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.RecordingTimerSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MonitoredExecutorServiceTests {

	private final RecordingTimerSink timers = new RecordingTimerSink();

	private final ThreadAttribution attribution = new ThreadAttribution();

	private final ExecutorMonitors monitors = new ExecutorMonitors(new TimerSinks(List.of(this.timers)),
			this.attribution, List.of(Duration.ofMillis(10)));

	private final List<ExecutorService> pools = new ArrayList<>();

	@AfterEach
	void shutdown() throws InterruptedException {
		for (ExecutorService pool : this.pools) {
			pool.shutdownNow();
			pool.awaitTermination(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void queuedTasksRecordAtLeastTheTimeTheyWaited() throws Exception {
		ThreadPoolExecutor pool = pool(1, new LinkedBlockingQueue<>());
		ExecutorService executor = this.monitors.monitor(pool, "queued");
		CountDownLatch release = new CountDownLatch(1);
		executor.execute(() -> Awaits.hold(release));
		List<Future<?>> queued = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			queued.add(executor.submit(() -> {
			}));
		}
		long lastSubmitted = System.nanoTime();
		assertThat(pool.getQueue()).hasSize(5);
		Thread.sleep(50);
		long heldFor = System.nanoTime() - lastSubmitted;
		release.countDown();
		for (Future<?> future : queued) {
			future.get(30, TimeUnit.SECONDS);
		}
		List<Long> waits = this.timers.recorded(ThreadLensMeters.EXECUTOR_IDLE, "queued");
		assertThat(waits).hasSize(6);
		assertThat(waits.subList(1, 6)).allSatisfy((wait) -> assertThat(wait).isGreaterThanOrEqualTo(heldFor));
		assertThat(this.timers.recorded(ThreadLensMeters.EXECUTOR, "queued")).hasSize(6);
	}

	@Test
	void poolGaugesFollowTheMonitoredPool() throws Exception {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 3, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10));
		this.pools.add(pool);
		ExecutorService executor = this.monitors.monitor(pool, "gauged");
		CountDownLatch running = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		executor.execute(() -> {
			running.countDown();
			Awaits.hold(release);
		});
		// A worker only counts as active once it runs the task, not when execute() returns.
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < 4; i++) {
			executor.execute(() -> {
			});
		}
		Map<String, Double> values = new HashMap<>();
		for (ObservedMeter meter : this.monitors.meters().meters()) {
			values.put(meter.definition().name(), meter.source().get().get(List.of("gauged")));
		}
		assertThat(values).containsEntry("executor.queued", 4.0)
			.containsEntry("executor.queue.remaining", 6.0)
			.containsEntry("executor.active", 1.0)
			.containsEntry("executor.pool.size", 1.0)
			.containsEntry("executor.pool.core", 1.0)
			.containsEntry("executor.pool.max", 3.0)
			.containsEntry("executor.completed", 0.0);
		release.countDown();
	}

	@Test
	void failuresAreCountedWhetherExecutedOrSubmitted() throws Exception {
		ExecutorService executor = this.monitors.monitor(pool(1, new LinkedBlockingQueue<>()), "failing");
		Thread.setDefaultUncaughtExceptionHandler((thread, ex) -> {
		});
		try {
			executor.execute(() -> {
				throw new IllegalStateException("runnable fails");
			});
			Future<Object> callable = executor.submit(() -> {
				throw new IllegalStateException("callable fails");
			});
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> callable.get(30, TimeUnit.SECONDS));
			executor.submit(() -> "fine").get(30, TimeUnit.SECONDS);
			ExecutorMonitor monitor = this.monitors.monitor("failing");
			Awaits.count(() -> this.timers.recorded(ThreadLensMeters.EXECUTOR, "failing").size(), 3);
			assertThat(monitor.failed()).isEqualTo(2);
		}
		finally {
			Thread.setDefaultUncaughtExceptionHandler(null);
		}
	}

	@Test
	void abortedTasksAreRejectedOnceAndTheCallerSeesTheException() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ThreadPoolExecutor pool = pool(1, new ArrayBlockingQueue<>(1));
		ExecutorService executor = this.monitors.monitor(pool, "aborting");
		executor.execute(() -> Awaits.hold(release));
		executor.execute(() -> {
		});
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.execute(() -> {
		}));
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.submit(() -> 1));
		assertThat(this.monitors.monitor("aborting").rejected()).isEqualTo(2);
		release.countDown();
	}

	@Test
	void callerRunsTasksAreRejectedAndRunButNotTimed() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		ThreadPoolExecutor pool = pool(1, new ArrayBlockingQueue<>(1));
		pool.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy());
		ExecutorService executor = this.monitors.monitor(pool, "caller-runs");
		executor.execute(() -> Awaits.hold(release));
		executor.execute(() -> {
		});
		AtomicInteger ranInCaller = new AtomicInteger();
		Thread caller = Thread.currentThread();
		executor.execute(() -> {
			if (Thread.currentThread() == caller) {
				ranInCaller.incrementAndGet();
			}
		});
		assertThat(ranInCaller).hasValue(1);
		assertThat(this.monitors.monitor("caller-runs").rejected()).isEqualTo(1);
		release.countDown();
		Awaits.count(() -> this.timers.recorded(ThreadLensMeters.EXECUTOR, "caller-runs").size(), 2);
		pool.shutdown();
		pool.awaitTermination(30, TimeUnit.SECONDS);
		assertThat(this.timers.recorded(ThreadLensMeters.EXECUTOR, "caller-runs")).hasSize(2);
	}

	@Test
	void theExecutorsOwnRejectionPolicyStillRuns() {
		CountDownLatch release = new CountDownLatch(1);
		ThreadPoolExecutor pool = pool(1, new ArrayBlockingQueue<>(1));
		List<Runnable> seenByPolicy = new ArrayList<>();
		pool.setRejectedExecutionHandler((task, executor) -> seenByPolicy.add(task));
		ExecutorService executor = this.monitors.monitor(pool, "custom-policy");
		executor.execute(() -> Awaits.hold(release));
		executor.execute(() -> {
		});
		Runnable refused = () -> {
		};
		executor.execute(refused);
		assertThat(seenByPolicy).hasSize(1);
		assertThat(seenByPolicy.get(0)).hasToString(refused.toString());
		assertThat(this.monitors.monitor("custom-policy").rejected()).isEqualTo(1);
		release.countDown();
	}

	@Test
	void threadsOfAMonitoredPoolAreAttributedToIt() throws Exception {
		ThreadPoolExecutor pool = pool(2, new LinkedBlockingQueue<>());
		ExecutorService executor = this.monitors.monitor(pool, "checkout");
		CountDownLatch release = new CountDownLatch(1);
		Set<String> workerNames = ConcurrentHashMap.newKeySet();
		for (int i = 0; i < 2; i++) {
			executor.execute(() -> {
				workerNames.add(Thread.currentThread().getName());
				Awaits.hold(release);
			});
		}
		ThreadCensus census = new ThreadCensus(new PoolNamer(this.attribution, List.of()), Duration.ZERO);
		Awaits.count(() -> census.snapshot().count("checkout", Thread.State.WAITING), 2);
		assertThat(census.snapshot().size("checkout")).isEqualTo(2);
		// The pool the JDK's default thread names (pool-N-thread-M) would give, without attribution.
		Set<String> byThreadName = workerNames.stream()
			.map(new PoolNameNormalizer()::normalize)
			.collect(Collectors.toSet());
		assertThat(byThreadName).singleElement().asString().startsWith("pool-");
		assertThat(census.snapshot().pools()).doesNotContainAnyElementsOf(byThreadName);
		release.countDown();
	}

	@Test
	void monitoringTwiceReturnsTheSameInstrumentation() {
		ExecutorService executor = this.monitors.monitor(pool(1, new LinkedBlockingQueue<>()), "twice");
		assertThat(this.monitors.monitor(executor, "twice")).isSameAs(executor);
	}

	private ThreadPoolExecutor pool(int threads, BlockingQueue<Runnable> queue) {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, queue);
		this.pools.add(pool);
		return pool;
	}

}
