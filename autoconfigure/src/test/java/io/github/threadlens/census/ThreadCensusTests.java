package io.github.threadlens.census;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Jdk;
import io.github.threadlens.testsupport.RealThreads;
import io.github.threadlens.testsupport.UngroupedThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadCensusTests {

	private final RealThreads threads = new RealThreads();

	private final ThreadAttribution attribution = new ThreadAttribution();

	private final ThreadCensus census = new ThreadCensus(new PoolNamer(this.attribution, List.of()), Duration.ZERO);

	@AfterEach
	void stopThreads() throws Exception {
		this.threads.close();
	}

	/**
	 * The carriers of virtual threads are named {@code ForkJoinPool-N-worker-M}, as any
	 * fork-join pool's workers: they are the virtual-thread scheduler's pool, and a user's
	 * rule still names them first.
	 */
	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
	void carriersOfVirtualThreadsAreTheVirtualThreadSchedulersPool() throws Exception {
		SimpleAsyncTaskExecutor virtual = new SimpleAsyncTaskExecutor();
		virtual.setVirtualThreads(true);
		CountDownLatch stop = new CountDownLatch(1);
		// A virtual thread that never parks keeps its carrier mounted.
		virtual.execute(() -> {
			while (stop.getCount() > 0) {
				Thread.onSpinWait();
			}
		});
		try {
			ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()), Duration.ZERO);
			Awaits.until(() -> census.snapshot().pools(),
					(pools) -> pools.contains(PoolNamer.VIRTUAL_THREAD_SCHEDULER));
			Thread carrier = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.getClass().getName().equals("jdk.internal.misc.CarrierThread"))
				.findFirst()
				.orElseThrow();
			PoolNamer ruled = new PoolNamer(new ThreadAttribution(),
					List.of(new PoolNamingRule(Pattern.compile("ForkJoinPool-.*"), "carriers")));
			assertThat(ruled.poolOf(carrier, carrier.getName())).isEqualTo("carriers");
		}
		finally {
			stop.countDown();
		}
	}

	@Test
	void countsEveryStateExactlyPerPool() {
		this.threads.start("census-io", 3, Thread.State.RUNNABLE);
		this.threads.start("census-blocked", 4, Thread.State.BLOCKED);
		this.threads.start("census-waiting", 5, Thread.State.WAITING);
		this.threads.start("census-sleeping", 6, Thread.State.TIMED_WAITING);
		this.threads.start("census-mixed", 2, Thread.State.WAITING);
		this.threads.start(3, (i) -> "census-mixed-" + (i + 2), Thread.State.TIMED_WAITING);

		CensusSnapshot snapshot = this.census.snapshot();

		assertThat(poolCounts(snapshot, "census-io")).containsExactly(0, 3, 0, 0, 0, 0);
		assertThat(poolCounts(snapshot, "census-blocked")).containsExactly(0, 0, 4, 0, 0, 0);
		assertThat(poolCounts(snapshot, "census-waiting")).containsExactly(0, 0, 0, 5, 0, 0);
		assertThat(poolCounts(snapshot, "census-sleeping")).containsExactly(0, 0, 0, 0, 6, 0);
		assertThat(poolCounts(snapshot, "census-mixed")).containsExactly(0, 0, 0, 2, 3, 0);
		// The thread holding the contended monitor is in a pool of its own.
		assertThat(snapshot.count("monitor-holder", Thread.State.WAITING)).isEqualTo(1);
		assertThat(snapshot.size("census-mixed")).isEqualTo(5);
	}

	@Test
	void agreesWithThreadMXBeanAtAQuiescentMoment() {
		this.threads.start("agree-blocked", 3, Thread.State.BLOCKED);
		this.threads.start("agree-waiting", 7, Thread.State.WAITING);
		this.threads.start("agree-sleeping", 4, Thread.State.TIMED_WAITING);
		this.threads.start("agree-io", 2, Thread.State.RUNNABLE);
		ThreadMXBean mxBean = ManagementFactory.getThreadMXBean();
		// JVM housekeeping threads may change state between the two reads: retry until a
		// census and a full MXBean read bracket the same moment. Threads outside any thread
		// group are the MXBean's alone (UngroupedThreads).
		for (int attempt = 0; attempt < 50; attempt++) {
			CensusSnapshot before = this.census.snapshot();
			List<ThreadInfo> ungrouped = UngroupedThreads.now();
			Map<Thread.State, Integer> mx = mxBeanStates(mxBean);
			ungrouped.forEach((info) -> mx.merge(info.getThreadState(), -1, Integer::sum));
			int ungroupedDaemons = (int) ungrouped.stream().filter(ThreadInfo::isDaemon).count();
			CensusSnapshot after = this.census.snapshot();
			if (sameStates(before, after) && sameStates(before, mx)
					&& before.live() == mxBean.getThreadCount() - ungrouped.size()
					&& before.daemon() == mxBean.getDaemonThreadCount() - ungroupedDaemons) {
				assertThat(before.count(Thread.State.BLOCKED)).isGreaterThanOrEqualTo(3);
				assertThat(before.count(Thread.State.WAITING)).isGreaterThanOrEqualTo(8);
				return;
			}
		}
		throw new AssertionError("The census never agreed with ThreadMXBean in 50 attempts");
	}

	@Test
	void reusesSnapshotWhileYoungerThanMaxAge() throws Exception {
		ThreadCensus cached = new ThreadCensus(new PoolNamer(this.attribution, List.of()), Duration.ofHours(1));
		CensusSnapshot first = cached.snapshot();
		this.threads.start("late-pool", 2, Thread.State.WAITING);
		assertThat(cached.snapshot()).isSameAs(first);
		assertThat(cached.snapshot().pools()).doesNotContain("late-pool");
		assertThat(this.census.snapshot()).isNotSameAs(this.census.snapshot());
	}

	@Test
	void takesANewSnapshotOnceMaxAgeHasPassed() {
		AtomicLong now = new AtomicLong();
		ThreadCensus ticking = new ThreadCensus(new PoolNamer(this.attribution, List.of()), Duration.ofSeconds(1),
				now::get);
		CensusSnapshot first = ticking.snapshot();
		now.addAndGet(Duration.ofMillis(999).toNanos());
		assertThat(ticking.snapshot()).isSameAs(first);
		now.addAndGet(Duration.ofMillis(1).toNanos());
		assertThat(ticking.snapshot()).isNotSameAs(first);
	}

	@Test
	void concurrentReadersOfAStaleSnapshotShareOneCensus() throws Exception {
		ThreadCensus cached = new ThreadCensus(new PoolNamer(this.attribution, List.of()), Duration.ofHours(1));
		CountDownLatch start = new CountDownLatch(1);
		CensusSnapshot[] seen = new CensusSnapshot[8];
		Thread[] readers = new Thread[seen.length];
		for (int i = 0; i < readers.length; i++) {
			int index = i;
			readers[i] = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				seen[index] = cached.snapshot();
			});
			readers[i].start();
		}
		start.countDown();
		for (Thread reader : readers) {
			reader.join();
		}
		assertThat(seen).allSatisfy((snapshot) -> assertThat(snapshot).isSameAs(seen[0]));
	}

	@Test
	void followsRenamesAndForgetsDeadThreads() throws Exception {
		List<Thread> started = this.threads.start("before-rename", 2, Thread.State.WAITING);
		assertThat(this.census.snapshot().size("before-rename")).isEqualTo(2);
		started.get(0).setName("after-rename-1");
		CensusSnapshot renamed = this.census.snapshot();
		assertThat(renamed.size("before-rename")).isEqualTo(1);
		assertThat(renamed.size("after-rename")).isEqualTo(1);
		this.threads.close();
		assertThat(this.census.snapshot().pools()).doesNotContain("before-rename", "after-rename");
	}

	@Test
	void attributedThreadsCountUnderTheirExecutorsPool() throws Exception {
		Thread attributed = this.attribution
			.attributing("orders-executor", (runnable) -> new Thread(runnable, "custom-name-1"))
			.newThread(() -> {
				try {
					Thread.sleep(Long.MAX_VALUE);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			});
		attributed.setDaemon(true);
		attributed.start();
		try {
			RealThreads.awaitState(List.of(attributed), Thread.State.TIMED_WAITING);
			CensusSnapshot snapshot = this.census.snapshot();
			assertThat(snapshot.count("orders-executor", Thread.State.TIMED_WAITING)).isEqualTo(1);
			assertThat(snapshot.pools()).doesNotContain("custom-name");
		}
		finally {
			attributed.interrupt();
			attributed.join();
		}
	}

	private static int[] poolCounts(CensusSnapshot snapshot, String pool) {
		Thread.State[] states = Thread.State.values();
		int[] counts = new int[states.length];
		for (Thread.State state : states) {
			counts[state.ordinal()] = snapshot.count(pool, state);
		}
		return counts;
	}

	private static Map<Thread.State, Integer> mxBeanStates(ThreadMXBean mxBean) {
		Map<Thread.State, Integer> counts = new EnumMap<>(Thread.State.class);
		for (Thread.State state : Thread.State.values()) {
			counts.put(state, 0);
		}
		for (ThreadInfo info : mxBean.getThreadInfo(mxBean.getAllThreadIds())) {
			if (info != null) {
				counts.merge(info.getThreadState(), 1, Integer::sum);
			}
		}
		return counts;
	}

	private static boolean sameStates(CensusSnapshot a, CensusSnapshot b) {
		for (Thread.State state : Thread.State.values()) {
			if (a.count(state) != b.count(state)) {
				return false;
			}
		}
		return a.live() == b.live();
	}

	private static boolean sameStates(CensusSnapshot census, Map<Thread.State, Integer> mx) {
		for (Thread.State state : Thread.State.values()) {
			if (census.count(state) != mx.get(state)) {
				return false;
			}
		}
		return true;
	}

}
