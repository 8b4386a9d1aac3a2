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

	private final long maxAgeNanos;

	private final LongSupplier nanoTime;

	private final Object lock = new Object();

	private volatile CensusSnapshot current;

	// Guarded by lock.
	private final ThreadRoster roster;

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
		this.maxAgeNanos = maxAge.toNanos();
		this.nanoTime = nanoTime;
	}

	/**
	 * The current snapshot: the cached one while it is younger than the maximum age, else a
	 * new one. Concurrent callers that find it stale wait for one census and share it.
	 * @return the snapshot
	 */
	public CensusSnapshot snapshot() {
		CensusSnapshot snapshot = this.current;
		if (isFresh(snapshot)) {
			return snapshot;
		}
		synchronized (this.lock) {
			snapshot = this.current;
			if (!isFresh(snapshot)) {
				snapshot = take();
				this.current = snapshot;
			}
			return snapshot;
		}
	}

	private boolean isFresh(CensusSnapshot snapshot) {
		return snapshot != null && this.nanoTime.getAsLong() - snapshot.takenAtNanos() < this.maxAgeNanos;
	}

	private CensusSnapshot take() {
		long now = this.nanoTime.getAsLong();
		Map<String, int[]> pools = new HashMap<>();
		int[] states = CensusSnapshot.newStateCounts();
		int[] daemon = new int[1];
		int live = this.roster.forEach((thread, pool) -> {
			Thread.State state = thread.getState();
			if (state == Thread.State.TERMINATED) {
				// It died after enumeration; the MXBean would not report it either.
				return false;
			}
			pools.computeIfAbsent(pool, (key) -> CensusSnapshot.newStateCounts())[state.ordinal()]++;
			states[state.ordinal()]++;
			if (thread.isDaemon()) {
				daemon[0]++;
			}
			return true;
		});
		return new CensusSnapshot(now, live, daemon[0], states, pools);
	}

}
