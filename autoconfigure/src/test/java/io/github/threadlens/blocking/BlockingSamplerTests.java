package io.github.threadlens.blocking;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import io.github.threadlens.autoconfigure.ThreadLensBlockingAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.testsupport.RealThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real threads waiting for every reason of the vocabulary, classified by a real sampler
 * pass.
 */
class BlockingSamplerTests {

	private final RealThreads threads = new RealThreads();

	private final List<Thread> started = new ArrayList<>();

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicLong now = new AtomicLong();

	// 10 ms of stack reads per pass.
	private static final BlockingSampler.Settings SETTINGS = new BlockingSampler.Settings(Duration.ofSeconds(1), 0.01,
			Duration.ofMillis(2), 64, List.of(8, 16, 32));

	private final BlockingSampler sampler = new BlockingSampler(ManagementFactory.getThreadMXBean(),
			new ThreadRoster(new PoolNamer(new ThreadAttribution(), List.of())),
			new LockSnapshots(ManagementFactory.getThreadMXBean(), this.now::get), () -> new AllPools(),
			SETTINGS,
			this.now::get, new CollectorFailures());

	@AfterEach
	void stop() throws Exception {
		this.release.countDown();
		this.sampler.close();
		this.threads.close();
		for (Thread thread : this.started) {
			thread.interrupt();
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
	}

	@Test
	void classifiesEveryReasonFromRealThreads() throws Exception {
		classifiesEveryReason(this.sampler);
	}

	@Test
	void classifiesEveryReasonFromStacksReadThreadByThread() throws Exception {
		classifiesEveryReason(sampler(new HandshakeStackReads(64, this.now::get)));
	}

	@Test
	void classifiesEveryReasonFromStacksReadInSlices() throws Exception {
		classifiesEveryReason(sampler(new SafepointStackReads(ManagementFactory.getThreadMXBean(), 64,
				Duration.ofMillis(2).toNanos(), this.now::get)));
	}

	private void classifiesEveryReason(BlockingSampler sampler) throws Exception {
		ReentrantLock lock = new ReentrantLock();
		lock.lock();
		ExecutorService idlePool = Executors.newFixedThreadPool(1, (runnable) -> new Thread(runnable, "reason-idle-1"));
		try {
			idlePool.submit(() -> {
			}).get();
			this.threads.start("reason-monitor", 1, Thread.State.BLOCKED);
			this.threads.start("reason-io", 1, Thread.State.RUNNABLE);
			Object waitOn = new Object();
			start("reason-object-wait-1", Thread.State.WAITING, () -> {
				synchronized (waitOn) {
					waitOn.wait();
				}
			});
			start("reason-lock-1", Thread.State.WAITING, lock::lockInterruptibly);
			start("reason-sleep-1", Thread.State.TIMED_WAITING, () -> Thread.sleep(Long.MAX_VALUE));
			CompletableFuture<String> never = new CompletableFuture<>();
			start("reason-future-1", Thread.State.WAITING, never::get);
			Thread target = start("join-target-1", Thread.State.WAITING, this.release::await);
			start("reason-join-1", Thread.State.WAITING, target::join);
			awaitIdle("reason-idle-1");

			sampler.sample();

			Map<String, Double> reasons = rows(sampler, ThreadLensMeters.THREADS_BLOCKING);
			assertThat(reasons).containsEntry("[reason-monitor, monitor]", 1.0)
				.containsEntry("[reason-io, io]", 1.0)
				.containsEntry("[reason-object-wait, object_wait]", 1.0)
				.containsEntry("[reason-lock, lock]", 1.0)
				.containsEntry("[reason-idle, idle]", 1.0)
				.containsEntry("[reason-sleep, sleep]", 1.0)
				.containsEntry("[reason-future, future]", 1.0)
				.containsEntry("[reason-join, join]", 1.0);
		}
		finally {
			lock.unlock();
			idlePool.shutdownNow();
		}
	}

	@Test
	void everyLiveThreadHasADepthRange() {
		this.threads.start("deep", 3, Thread.State.WAITING);
		this.sampler.sample();
		Map<String, Double> depths = rows(ThreadLensMeters.THREADS_STACK_DEPTH);
		assertThat(depths.keySet()).allSatisfy((key) -> assertThat(key).matches("\\[.*, (0-8|9-16|17-32|33\\+)\\]"));
		double deep = depths.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith("[deep,"))
			.mapToDouble(Map.Entry::getValue)
			.sum();
		assertThat(deep).isEqualTo(3);
	}

	@Test
	void readsStacksInSlicesThatStopTheApplicationForAtMostMaxPause() {
		this.threads.start("sliced", 400, Thread.State.WAITING);
		TimedStackReads reads = new TimedStackReads(Duration.ofNanos(20_000));
		BlockingSampler sliced = reads.sampler(Duration.ofMillis(2));
		long stopped = sliced.sample();
		assertThat(reads.slices).hasSizeGreaterThan(1);
		assertThat(reads.slices).allSatisfy((size) -> assertThat(size * 20_000L).isLessThanOrEqualTo(2_000_000L));
		assertThat(stopped).isEqualTo(reads.slices.stream().mapToLong((size) -> size * 20_000L).sum());
		assertThat(rows(sliced, ThreadLensMeters.SAMPLER_PAUSE).get("[]")).isLessThanOrEqualTo(0.002);
		assertThat(poolTotal(sliced, ThreadLensMeters.THREADS_STACK_DEPTH, "sliced")).isEqualTo(400);
	}

	@Test
	void laterPassesReadOnlyChangedThreadsAndARotatingShareOfTheRest() {
		this.threads.start("steady", 400, Thread.State.WAITING);
		TimedStackReads reads = new TimedStackReads(Duration.ofNanos(20_000));
		BlockingSampler sampler = reads.sampler(Duration.ofMillis(2));
		sampler.sample();
		int first = reads.slices.stream().mapToInt(Integer::intValue).sum();
		reads.slices.clear();
		sampler.sample();
		int second = reads.slices.stream().mapToInt(Integer::intValue).sum();
		// A twentieth of the threads, and the few of the test's own JVM that changed meanwhile.
		assertThat(first).isGreaterThanOrEqualTo(400);
		assertThat(second).isLessThan(first / 20 + 20);
		assertThat(rows(sampler, ThreadLensMeters.THREADS_BLOCKING)).containsEntry("[steady, lock]", 400.0);
	}

	@Test
	void aPassReadsStacksForItsShareOfTheCpuBudgetAndLeavesUnreadThreadsUncounted() {
		this.threads.start("many", 1000, Thread.State.WAITING);
		// 1 s interval at 1%: 10 ms of reads per pass, 500 threads at 20 us each.
		TimedStackReads reads = new TimedStackReads(Duration.ofNanos(20_000));
		BlockingSampler sampler = reads.sampler(Duration.ofMillis(2));
		sampler.sample();
		int first = reads.slices.stream().mapToInt(Integer::intValue).sum();
		double counted = poolTotal(sampler, ThreadLensMeters.THREADS_BLOCKING, "many");
		assertThat(first).isBetween(500, 500 + 2 * 75);
		assertThat(counted).isLessThan(1000).isEqualTo(poolTotal(sampler, ThreadLensMeters.THREADS_STACK_DEPTH, "many"));
		sampler.sample();
		sampler.sample();
		assertThat(rows(sampler, ThreadLensMeters.THREADS_BLOCKING)).containsEntry("[many, lock]", 1000.0);
	}

	@Test
	void aSmallestSliceOverThePauseBudgetStopsStackReadsForGrowingNumbersOfPasses() {
		this.threads.start("costly", 100, Thread.State.WAITING);
		// Reaching the safepoint alone takes longer than the budget, as at 30,000 threads on JDK 17.
		TimedStackReads reads = new TimedStackReads(Duration.ofMillis(3), Duration.ofNanos(10_000));
		BlockingSampler sampler = reads.sampler(Duration.ofMillis(2));
		List<Integer> slicesPerPass = new ArrayList<>();
		for (int pass = 0; pass < 8; pass++) {
			reads.slices.clear();
			sampler.sample();
			slicesPerPass.add(reads.slices.size());
		}
		// One slice, then no reads for 1, 2 and 4 passes after each slice over the budget.
		assertThat(slicesPerPass).containsExactly(1, 0, 1, 0, 0, 1, 0, 0);
	}

	@Test
	void reportsItsOwnDurationAndAge() {
		assertThat(rows(ThreadLensMeters.SAMPLER_AGE)).isEmpty();
		this.sampler.sample();
		this.now.addAndGet(Duration.ofSeconds(3).toNanos());
		assertThat(rows(ThreadLensMeters.SAMPLER_AGE)).containsEntry("[]", 3.0);
		assertThat(rows(ThreadLensMeters.SAMPLER_DURATION)).containsKey("[]");
	}

	@Test
	void stretchesTheIntervalToStayWithinItsCpuBudget() {
		assertThat(this.sampler.nextDelayNanos(Duration.ofMillis(5).toNanos())).isEqualTo(Duration.ofSeconds(1).toNanos());
		assertThat(this.sampler.nextDelayNanos(Duration.ofMillis(20).toNanos()))
			.isEqualTo(Duration.ofSeconds(2).toNanos());
	}

	@Test
	void runsOnADaemonThreadUntilClosed() throws Exception {
		Set<Thread> others = samplerThreads();
		this.sampler.start();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		Set<Thread> ours = samplerThreads();
		ours.removeAll(others);
		while (ours.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(10);
			ours = samplerThreads();
			ours.removeAll(others);
		}
		assertThat(ours).hasSize(1);
		Thread samplerThread = ours.iterator().next();
		assertThat(samplerThread.isDaemon()).isTrue();
		this.sampler.close();
		samplerThread.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(samplerThread.isAlive()).isFalse();
	}

	@Test
	void aSamplerOfTheUsersOwnIsStartedAndStoppedWithTheContext() throws Exception {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ThreadLensCensusAutoConfiguration.class,
					ThreadLensBlockingAutoConfiguration.class))
			.withBean("customSampler", BlockingSampler.class, () -> this.sampler);
		Set<Thread> others = samplerThreads();
		Set<Thread> ours = new HashSet<>();
		runner.run((context) -> {
			assertThat(context).getBean(BlockingSampler.class).isSameAs(this.sampler);
			ours.addAll(samplerThreads());
			ours.removeAll(others);
			assertThat(ours).as("started with the context").hasSize(1);
		});
		for (Thread thread : ours) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
			assertThat(thread.isAlive()).as("stopped with the context").isFalse();
		}
	}

	@Test
	void aClosedSamplerStartsAgain() throws Exception {
		Set<Thread> others = samplerThreads();
		this.sampler.start();
		Set<Thread> first = samplerThreads();
		first.removeAll(others);
		this.sampler.close();
		for (Thread thread : first) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
		this.sampler.start();
		Set<Thread> again = samplerThreads();
		again.removeAll(others);
		assertThat(first).hasSize(1);
		assertThat(again).hasSize(1).doesNotContainAnyElementsOf(first);
	}

	@Test
	void timeSpentBlockedIsCountedPerPoolAndKeptWhenThreadsEnd() throws Exception {
		try (ContentionMonitoring monitoring = ContentionMonitoring.turnOn(ManagementFactory.getThreadMXBean(),
				new CollectorFailures())) {
			Object monitor = new Object();
			CountDownLatch holding = new CountDownLatch(1);
			CountDownLatch letGo = new CountDownLatch(1);
			Thread holder = start("contended-holder", Thread.State.WAITING, () -> {
				synchronized (monitor) {
					holding.countDown();
					letGo.await();
				}
			});
			assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
			// Before the thread starts: a pass counts the whole time a thread it sees first has been
			// BLOCKED, however late after its start the first pass comes.
			long since = System.nanoTime();
			Thread blocked = start("contended-1", Thread.State.BLOCKED, () -> {
				synchronized (monitor) {
					// Entered once the holder lets go: then it ends.
				}
			});
			this.sampler.sample();
			Thread.sleep(200);
			this.sampler.sample();
			double seconds = rows(ThreadLensMeters.THREADS_BLOCKED_TIME).get("[contended]");
			assertThat(seconds).isGreaterThanOrEqualTo(0.15).isLessThanOrEqualTo((System.nanoTime() - since) / 1e9 + 0.05);
			letGo.countDown();
			blocked.join(TimeUnit.SECONDS.toMillis(30));
			holder.join(TimeUnit.SECONDS.toMillis(30));
			this.sampler.sample();
			// Both threads have ended: the time counted while they lived is kept.
			assertThat(rows(ThreadLensMeters.THREADS_BLOCKED_TIME).get("[contended]")).isGreaterThanOrEqualTo(seconds);
			assertThat(rows(ThreadLensMeters.THREADS_WAITED_TIME)).containsKey("[contended]");
		}
	}

	@Test
	void timeCountersKeepTheRetainedPoolsAndOther() {
		AtomicReference<Set<String>> retained = new AtomicReference<>(new AllPools());
		BlockingSampler sampler = new BlockingSampler(ManagementFactory.getThreadMXBean(),
				new ThreadRoster(new PoolNamer(new ThreadAttribution(), List.of())),
				new LockSnapshots(ManagementFactory.getThreadMXBean(), this.now::get), AllPools::new, retained::get,
				SETTINGS,
				this.now::get, new CollectorFailures());
		try (ContentionMonitoring monitoring = ContentionMonitoring.turnOn(ManagementFactory.getThreadMXBean(),
				new CollectorFailures())) {
			this.threads.start("retiring", 2, Thread.State.WAITING);
			sampler.sample();
			assertThat(rows(sampler, ThreadLensMeters.THREADS_WAITED_TIME)).containsKey("[retiring]")
				.doesNotContainKey("[other]");
			retained.set(Set.of());
			sampler.sample();
			assertThat(rows(sampler, ThreadLensMeters.THREADS_WAITED_TIME)).containsOnlyKeys("[other]");
			assertThat(rows(sampler, ThreadLensMeters.THREADS_BLOCKED_TIME)).containsOnlyKeys("[other]");
			assertThat(rows(sampler, ThreadLensMeters.THREADS_BLOCKING)).as("gauges follow the published pools")
				.containsKey("[retiring, lock]");
		}
	}

	@Test
	void contentionMonitoringIsTurnedOnForTheContextAndCanBeLeftAlone() {
		ThreadMXBean mxBean = ManagementFactory.getThreadMXBean();
		boolean before = mxBean.isThreadContentionMonitoringEnabled();
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
			.of(ThreadLensCensusAutoConfiguration.class, ThreadLensBlockingAutoConfiguration.class));
		runner.run((context) -> {
			assertThat(context).hasSingleBean(ContentionMonitoring.class);
			assertThat(mxBean.isThreadContentionMonitoringEnabled()).isTrue();
		});
		assertThat(mxBean.isThreadContentionMonitoringEnabled()).as("as it was before the context").isEqualTo(before);
		runner.withPropertyValues("threadlens.contention-monitoring.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ContentionMonitoring.class));
	}

	@Test
	void contentionMonitoringStaysOnUntilTheLastContextThatNeedsItCloses() {
		ThreadMXBean mxBean = ManagementFactory.getThreadMXBean();
		boolean before = mxBean.isThreadContentionMonitoringEnabled();
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
			.of(ThreadLensCensusAutoConfiguration.class, ThreadLensBlockingAutoConfiguration.class));
		runner.run((first) -> {
			runner.run((second) -> {
				first.close();
				assertThat(mxBean.isThreadContentionMonitoringEnabled()).as("the second context still needs it")
					.isTrue();
			});
		});
		assertThat(mxBean.isThreadContentionMonitoringEnabled()).as("as it was before both").isEqualTo(before);
	}

	private Map<String, Double> rows(MeterDefinition definition) {
		return rows(this.sampler, definition);
	}

	private BlockingSampler sampler(StackReads stacks) {
		return sampler(ManagementFactory.getThreadMXBean(), stacks);
	}

	private BlockingSampler sampler(ThreadMXBean threads, StackReads stacks) {
		return new BlockingSampler(threads, new ThreadRoster(new PoolNamer(new ThreadAttribution(), List.of())),
				new LockSnapshots(threads, this.now::get), AllPools::new, AllPools::new, SETTINGS, this.now::get,
				new CollectorFailures(), stacks);
	}

	private static double poolTotal(BlockingSampler sampler, MeterDefinition definition, String pool) {
		return rows(sampler, definition).entrySet()
			.stream()
			.filter((entry) -> entry.getKey().startsWith("[" + pool + ","))
			.mapToDouble(Map.Entry::getValue)
			.sum();
	}

	private static Map<String, Double> rows(BlockingSampler sampler, MeterDefinition definition) {
		ObservedMeter meter = sampler.meters()
			.meters()
			.stream()
			.filter((candidate) -> candidate.definition() == definition)
			.findFirst()
			.orElseThrow();
		Rows rows = meter.source().get();
		return rows.keys().stream().collect(Collectors.toMap(Object::toString, rows::get));
	}

	private Thread start(String name, Thread.State state, Blocking body) {
		Thread thread = new Thread(() -> {
			try {
				body.run();
			}
			catch (Exception ex) {
				// Interrupted at the end of the test.
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		this.started.add(thread);
		RealThreads.awaitState(List.of(thread), state);
		return thread;
	}

	private static Set<Thread> samplerThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().equals("threadlens-sampler"))
			.collect(Collectors.toCollection(HashSet::new));
	}

	private static void awaitIdle(String name) throws InterruptedException {
		Thread worker = awaitThread(name);
		RealThreads.awaitState(List.of(worker), Thread.State.WAITING);
	}

	private static Thread awaitThread(String name) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			for (Thread thread : Thread.getAllStackTraces().keySet()) {
				if (thread.getName().equals(name)) {
					return thread;
				}
			}
			Thread.sleep(10);
		}
		throw new AssertionError("No thread " + name);
	}

	@FunctionalInterface
	private interface Blocking {

		void run() throws Exception;

	}

	/**
	 * The JVM's thread MXBean, with stack reads that advance the test's clock as a safepoint
	 * takes: a fixed time to reach it and a time per thread read; recorded slice by slice.
	 */
	private final class TimedStackReads {

		private final List<Integer> slices = new ArrayList<>();

		private final ThreadMXBean threads;

		TimedStackReads(Duration perThread) {
			this(Duration.ZERO, perThread);
		}

		TimedStackReads(Duration fixed, Duration perThread) {
			ThreadMXBean real = ManagementFactory.getThreadMXBean();
			this.threads = (ThreadMXBean) Proxy.newProxyInstance(BlockingSamplerTests.class.getClassLoader(),
					new Class<?>[] { ThreadMXBean.class }, (proxy, method, args) -> {
						if (method.getName().equals("getThreadInfo") && args.length == 2 && args[0] instanceof long[] ids
								&& (int) args[1] > 0) {
							this.slices.add(ids.length);
							BlockingSamplerTests.this.now.addAndGet(fixed.toNanos() + ids.length * perThread.toNanos());
						}
						try {
							return method.invoke(real, args);
						}
						catch (InvocationTargetException ex) {
							throw ex.getCause();
						}
					});
		}

		BlockingSampler sampler(Duration maxPause) {
			return BlockingSamplerTests.this.sampler(this.threads, new SafepointStackReads(this.threads, 64,
					maxPause.toNanos(), BlockingSamplerTests.this.now::get));
		}

	}

}
