package io.github.threadlens.blocking;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.github.threadlens.actuate.DeadlockHealthIndicator;
import io.github.threadlens.autoconfigure.ThreadLensBlockingAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensHealthAutoConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real lock-ordering deadlock between two threads, found, described and then broken by
 * interrupting them. Monitor deadlocks, which nothing can break, run in a JVM of their own
 * ({@link MonitorDeadlockIsolatedTests}).
 */
class DeadlockDetectorTests {

	private final AtomicLong now = new AtomicLong();

	private final DeadlockDetector detector = new DeadlockDetector(
			new LockSnapshots(ManagementFactory.getThreadMXBean(), this.now::get), Duration.ofSeconds(1),
			this.now::get, new CollectorFailures());

	private final List<Thread> deadlocked = new ArrayList<>();

	@AfterEach
	void breakTheDeadlock() throws InterruptedException {
		for (Thread thread : this.deadlocked) {
			thread.interrupt();
		}
		for (Thread thread : this.deadlocked) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
	}

	@Test
	void upWithNoDeadlock() {
		Deadlocks deadlocks = this.detector.current();
		assertThat(deadlocks.deadlocked()).isZero();
		assertThat(new DeadlockHealthIndicator(this.detector).health(true).getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void findsAndDescribesALockDeadlock() throws Exception {
		lockDeadlock("lock-deadlock-a", "lock-deadlock-b");
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		Deadlocks deadlocks = this.detector.current();

		assertThat(deadlocks.deadlocked()).isEqualTo(2);
		assertThat(deadlocks.monitorDeadlocked()).isZero();
		assertThat(deadlocks.threads()).extracting(Deadlocks.DeadlockedThread::name)
			.containsExactlyInAnyOrder("lock-deadlock-a", "lock-deadlock-b");
		assertThat(deadlocks.threads()).allSatisfy((thread) -> {
			assertThat(thread.lock()).contains("ReentrantLock");
			assertThat(thread.lockOwner()).isNotEqualTo(thread.name()).startsWith("lock-deadlock-");
		});

		Health health = new DeadlockHealthIndicator(this.detector).health(true);
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("deadlocked", 2).containsKey("threads");
	}

	@Test
	void countsTheThreadsTheJvmCountsWhenOthersWaitOnADeadlock() throws Exception {
		ReentrantLock a = lockDeadlock("chain-deadlock-a", "chain-deadlock-b");
		Thread waiter = new Thread(a::lock, "chain-waiter");
		waiter.setDaemon(true);
		waiter.start();
		this.deadlocked.add(waiter);
		while (waiter.getState() != Thread.State.WAITING) {
			Thread.sleep(5);
		}
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.detector.current().deadlocked()).isEqualTo(deadlockedCount());
	}

	@Test
	void neverAsksTheJvmForStacksOrItsOwnDetection() throws Exception {
		List<String> calls = new ArrayList<>();
		ThreadMXBean real = ManagementFactory.getThreadMXBean();
		ThreadMXBean recording = (ThreadMXBean) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { ThreadMXBean.class }, (proxy, method, args) -> {
					calls.add(method.getName() + ((args != null && args.length == 2) ? "/" + args[1] : ""));
					try {
						return method.invoke(real, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		lockDeadlock("quiet-a", "quiet-b");
		DeadlockDetector detector = new DeadlockDetector(new LockSnapshots(recording, this.now::get),
				Duration.ofSeconds(1), this.now::get, new CollectorFailures());
		assertThat(detector.current().deadlocked()).isEqualTo(2);
		// Reads without stacks are answered thread by thread; the JVM's detection and reads with
		// frames are global safepoints.
		assertThat(calls).containsOnly("getAllThreadIds", "getThreadInfo/0");
	}

	@Test
	void reusesADetectionYoungerThanMaxAge() throws Exception {
		Deadlocks first = this.detector.current();
		lockDeadlock("young-a", "young-b");
		assertThat(this.detector.current()).isSameAs(first);
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(this.detector.current().deadlocked()).isEqualTo(2);
	}

	@Test
	void healthIndicatorIsAutoConfiguredAndCanBeTurnedOff() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
				ThreadLensCensusAutoConfiguration.class, ThreadLensBlockingAutoConfiguration.class,
				ThreadLensHealthAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(DeadlockHealthIndicator.class)
			.hasBean("deadlockHealthIndicator"));
		runner.withPropertyValues("management.health.deadlock.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DeadlockHealthIndicator.class));
	}

	private ReentrantLock lockDeadlock(String nameA, String nameB) throws InterruptedException {
		ReentrantLock a = new ReentrantLock();
		ReentrantLock b = new ReentrantLock();
		CountDownLatch bothHold = new CountDownLatch(2);
		this.deadlocked.add(start(nameA, a, b, bothHold));
		this.deadlocked.add(start(nameB, b, a, bothHold));
		// WAITING is not enough: each may still wait on the latch. Wait for the JVM to see the cycle.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (deadlockedCount() < this.deadlocked.size() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(deadlockedCount()).isEqualTo(this.deadlocked.size());
		return a;
	}

	private static int deadlockedCount() {
		long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
		return (ids != null) ? ids.length : 0;
	}

	private static Thread start(String name, ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
		Thread thread = new Thread(() -> {
			first.lock();
			try {
				bothHold.countDown();
				bothHold.await();
				second.lockInterruptibly();
				second.unlock();
			}
			catch (InterruptedException ex) {
				// The test broke the deadlock.
			}
			finally {
				first.unlock();
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
