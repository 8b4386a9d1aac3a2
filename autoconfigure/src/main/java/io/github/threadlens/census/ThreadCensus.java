package io.github.threadlens.census;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts live platform threads per pool and state in one pass.
 * <p>
 * It walks a {@link ThreadRoster} and reads {@link Thread#getState()}, which is far cheaper
 * than {@code ThreadMXBean.getThreadInfo} for every thread. A snapshot is reused while
 * younger than the configured maximum age, so every gauge of a scrape and concurrent
 * scrapes share one pass.
 */
public final class ThreadCensus {

	// Only used by the cache's takings, which never overlap.
	private final ThreadRoster roster;

	private final MaxAgeCache<CensusSnapshot> snapshots;

	public ThreadCensus(PoolNamer namer, Duration maxAge) {
		this(namer, maxAge, System::nanoTime);
	}

	/**
	 * Create a census that reads time from a ticker, so that benchmarks and tests can decide
	 * when a snapshot has aged without sleeping.
	 * @param namer resolves each thread's pool
	 * @param maxAge how long a snapshot is reused
	 * @param nanoTime a monotonic nanosecond ticker, like {@link System#nanoTime()}
	 */
	public ThreadCensus(PoolNamer namer, Duration maxAge, LongSupplier nanoTime) {
		this.roster = new ThreadRoster(namer);
		this.snapshots = new MaxAgeCache<>(maxAge, nanoTime, this::take);
	}

	/**
	 * The current snapshot: the cached one while it is younger than the maximum age, else a
	 * new one. Concurrent callers that find it stale wait for one census and share it.
	 * @return the snapshot
	 */
	public CensusSnapshot snapshot() {
		return this.snapshots.get();
	}

	private CensusSnapshot take() {
		Map<String, int[]> pools = new HashMap<>();
		int[] states = CensusSnapshot.newStateCounts();
		int[] daemonStates = CensusSnapshot.newStateCounts();
		int live = this.roster.forEach((thread, pool) -> {
			Thread.State state = thread.getState();
			if (state == Thread.State.TERMINATED) {
				// It died after enumeration; the MXBean would not report it either.
				return false;
			}
			pools.computeIfAbsent(pool, (key) -> CensusSnapshot.newStateCounts())[state.ordinal()]++;
			states[state.ordinal()]++;
			if (thread.isDaemon()) {
				daemonStates[state.ordinal()]++;
			}
			return true;
		});
		return new CensusSnapshot(live, states, daemonStates, pools);
	}

}
