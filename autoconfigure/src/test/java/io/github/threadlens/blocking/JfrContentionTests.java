package io.github.threadlens.blocking;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.github.threadlens.autoconfigure.ThreadLensBlockingAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSink;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.RecordingTimerSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads fighting over a monitor and a lock, recorded from a real JFR stream.
 */
class JfrContentionTests {

	private final RecordingTimerSink timers = new RecordingTimerSink();

	private final AtomicBoolean fighting = new AtomicBoolean(true);

	private final List<Thread> fighters = new ArrayList<>();

	private JfrContention contention;

	@AfterEach
	void stop() throws InterruptedException {
		this.fighting.set(false);
		for (Thread fighter : this.fighters) {
			fighter.join(TimeUnit.SECONDS.toMillis(30));
		}
		if (this.contention != null) {
			this.contention.close();
		}
	}

	@Test
	void contendedMonitorsAreTimedWithTheirPoolAndClass() throws Exception {
		start(32);
		Object monitor = new Object();
		fight("jfr-monitor", 3, () -> {
			synchronized (monitor) {
				sleep(20);
			}
		});
		Awaits.atLeast(() -> this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-monitor", "java.lang.Object")
			.size(), 3);
		assertThat(this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-monitor", "java.lang.Object"))
			.allSatisfy((nanos) -> assertThat(nanos).isGreaterThanOrEqualTo(Duration.ofMillis(1).toNanos()));
	}

	@Test
	void parkedLockWaitersAreTimedWithTheLocksClass() throws Exception {
		start(32);
		ReentrantLock lock = new ReentrantLock();
		fight("jfr-lock", 3, () -> {
			lock.lock();
			try {
				sleep(20);
			}
			finally {
				lock.unlock();
			}
		});
		Awaits.atLeast(() -> this.timers
			.recorded(ThreadLensMeters.THREAD_PARK, "jfr-lock", "java.util.concurrent.locks.ReentrantLock$NonfairSync")
			.size(), 3);
	}

	@Test
	void classesBeyondTheCapAreTaggedOther() throws Exception {
		start(1);
		Object first = new Object();
		fight("jfr-first", 2, () -> {
			synchronized (first) {
				sleep(20);
			}
		});
		Awaits.atLeast(() -> this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-first", "java.lang.Object")
			.size(), 1);
		StringBuilder second = new StringBuilder();
		fight("jfr-second", 2, () -> {
			synchronized (second) {
				sleep(20);
			}
		});
		Awaits.atLeast(
				() -> this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-second", "other").size(), 1);
		assertThat(this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-second", "java.lang.StringBuilder"))
			.isEmpty();
	}

	@Test
	void seriesOfPoolsNoLongerRetainedAreRemovedAndTheirLaterEventsAreOther() throws Exception {
		start(32, Set.of("jfr-retiring"));
		Object monitor = new Object();
		fight("jfr-retiring", 2, () -> {
			synchronized (monitor) {
				sleep(20);
			}
		});
		Object unnamed = new Object();
		fight("jfr-unnamed", 2, () -> {
			synchronized (unnamed) {
				sleep(20);
			}
		});
		Awaits.atLeast(() -> this.timers
			.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-retiring", "java.lang.Object")
			.size(), 1);
		Awaits.atLeast(() -> this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "other", "other").size(), 1);
		this.contention.retain(Set.of());
		assertThat(this.timers.removed(ThreadLensMeters.MONITOR_CONTENTION, "jfr-retiring", "java.lang.Object"))
			.isTrue();
		assertThat(this.timers.removed(ThreadLensMeters.MONITOR_CONTENTION, "other", "other")).isFalse();
		int unnamedBefore = this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "other", "other").size();
		int retiringBefore = this.timers
			.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-retiring", "java.lang.Object")
			.size();
		Awaits.atLeast(() -> this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "other", "other").size(),
				unnamedBefore + 4);
		assertThat(this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-retiring", "java.lang.Object"))
			.as("events delivered later go to other").hasSizeLessThanOrEqualTo(retiringBefore + 1);
	}

	@Test
	void eventsOfThreadsThatEndedBeforeTheStreamReadThemKeepTheirPool() throws Exception {
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		// Holds the stream's dispatcher in the first recording, so that the events of the
		// short-lived threads are read only once those threads have ended.
		TimerSink holding = (definition, tagValues, buckets) -> (nanos) -> {
			if (held.getCount() > 0) {
				held.countDown();
				Awaits.hold(release);
			}
		};
		this.contention = new JfrContention(new TimerSinks(List.of(this.timers, holding)),
				new PoolNamer(new ThreadAttribution(), List.of()), 32);
		this.contention.retain(Set.of("jfr-gate", "shortlived-worker"));
		try {
			assertThat(this.contention.start(Duration.ofMillis(1), new CollectorFailures())).isTrue();
			contendOnceAndEnd("jfr-gate", 1);
			assertThat(held.await(30, TimeUnit.SECONDS)).as("the stream read the first contention").isTrue();
			contendOnceAndEnd("shortlived-worker", 3);
			contendOnceAndEnd("shortlived-folded", 2);
		}
		finally {
			release.countDown();
		}
		Awaits.count(() -> this.timers
			.recorded(ThreadLensMeters.MONITOR_CONTENTION, "shortlived-worker", "java.lang.Object")
			.size(), 3);
		// A pool named this way still passes the retained pools.
		Awaits.atLeast(() -> this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "other", "other").size(), 2);
		assertThat(this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "shortlived-folded", "java.lang.Object"))
			.isEmpty();
	}

	@Test
	void aHeapTooSmallForTheStreamLeavesItUnstartedAndCounted() throws Exception {
		this.contention = contention(32, Set.of("jfr-monitor"));
		CollectorFailures failures = new CollectorFailures();
		assertThat(this.contention.start(Duration.ofMillis(1), JfrContention.MIN_HEAP_BYTES - 1, failures)).isFalse();
		assertThat(failures.count("jfr")).isEqualTo(1);
		Object monitor = new Object();
		fight("jfr-monitor", 3, () -> {
			synchronized (monitor) {
				sleep(20);
			}
		});
		// Long enough for a started stream to deliver the contention (it flushes every second).
		Thread.sleep(3000);
		assertThat(this.timers.recorded(ThreadLensMeters.MONITOR_CONTENTION, "jfr-monitor", "java.lang.Object"))
			.isEmpty();
	}

	@Test
	void turnedOffByProperty() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
			.of(ThreadLensCensusAutoConfiguration.class, ThreadLensBlockingAutoConfiguration.class));
		runner.withPropertyValues("threadlens.jfr.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(JfrContention.class));
		runner.run((context) -> assertThat(context).hasSingleBean(JfrContention.class));
	}

	private void start(int maxClasses) {
		start(maxClasses, Set.of("jfr-monitor", "jfr-lock", "jfr-first", "jfr-second"));
	}

	private void start(int maxClasses, Set<String> retainedPools) {
		this.contention = contention(maxClasses, retainedPools);
		assertThat(this.contention.start(Duration.ofMillis(1), new CollectorFailures())).isTrue();
	}

	private JfrContention contention(int maxClasses, Set<String> retainedPools) {
		TimerSinks timers = new TimerSinks(List.of(this.timers));
		JfrContention contention = new JfrContention(timers,
				new PoolNamer(new ThreadAttribution(), List.of()), maxClasses);
		contention.retain(retainedPools);
		return contention;
	}

	/**
	 * Threads named {@code pool-1} to {@code pool-count} each enter a monitor once, after all
	 * waited for it, and have ended when this returns.
	 */
	private static void contendOnceAndEnd(String pool, int count) throws InterruptedException {
		Object monitor = new Object();
		List<Thread> threads = new ArrayList<>();
		synchronized (monitor) {
			for (int i = 1; i <= count; i++) {
				Thread thread = new Thread(() -> {
					synchronized (monitor) {
						// Entering is the event.
					}
				}, pool + "-" + i);
				thread.setDaemon(true);
				thread.start();
				threads.add(thread);
			}
			Awaits.atLeast(() -> threads.stream().filter((thread) -> thread.getState() == Thread.State.BLOCKED).count(),
					count);
			// Each wait outlasts the stream's 1 ms threshold.
			Thread.sleep(10);
		}
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
			assertThat(thread.isAlive()).isFalse();
		}
	}

	private void fight(String pool, int count, Runnable round) {
		for (int i = 1; i <= count; i++) {
			Thread fighter = new Thread(() -> {
				while (this.fighting.get()) {
					round.run();
				}
			}, pool + "-" + i);
			fighter.setDaemon(true);
			fighter.start();
			this.fighters.add(fighter);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
