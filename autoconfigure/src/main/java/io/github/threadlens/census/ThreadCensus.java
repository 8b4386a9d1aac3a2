package io.github.threadlens.census;

import java.time.Duration;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Counts live platform threads per pool and state in one pass.
 * <p>
 * It enumerates the root {@link ThreadGroup} and reads {@link Thread#getState()}, which is
 * far cheaper than {@code ThreadMXBean.getThreadInfo} for every thread. A snapshot is
 * reused while younger than the configured maximum age, so every gauge of a scrape and
 * concurrent scrapes share one pass. Each thread's pool is resolved once and cached
 * against the thread and its name: no pattern runs per thread per census.
 */
public final class ThreadCensus {

	private final PoolNamer namer;

	private final long maxAgeNanos;

	private final LongSupplier nanoTime;

	private final ThreadGroup root = rootGroup();

	private final Object lock = new Object();

	private volatile CensusSnapshot current;

	// The fields below are guarded by lock.

	private final Map<Thread, Membership> memberships = new IdentityHashMap<>();

	private Thread[] buffer = new Thread[256];

	private long epoch;

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
		this.namer = namer;
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
		long pass = ++this.epoch;
		int enumerated = enumerate();
		Map<String, int[]> pools = new HashMap<>();
		int[] states = CensusSnapshot.newStateCounts();
		int live = 0;
		int daemon = 0;
		for (int i = 0; i < enumerated; i++) {
			Thread thread = this.buffer[i];
			this.buffer[i] = null;
			Thread.State state = thread.getState();
			if (state == Thread.State.TERMINATED) {
				// It died after enumeration; the MXBean would not report it either.
				continue;
			}
			Membership membership = membershipOf(thread);
			membership.pass = pass;
			pools.computeIfAbsent(membership.pool, (pool) -> CensusSnapshot.newStateCounts())[state.ordinal()]++;
			states[state.ordinal()]++;
			live++;
			if (thread.isDaemon()) {
				daemon++;
			}
		}
		if (this.memberships.size() > live) {
			forgetDeparted(pass);
		}
		return new CensusSnapshot(now, live, daemon, states, pools);
	}

	private int enumerate() {
		int count = this.root.enumerate(this.buffer, true);
		while (count == this.buffer.length) {
			this.buffer = new Thread[this.buffer.length * 2];
			count = this.root.enumerate(this.buffer, true);
		}
		return count;
	}

	private Membership membershipOf(Thread thread) {
		String name = thread.getName();
		Membership membership = this.memberships.get(thread);
		// Identity comparison: a thread's name only changes by setName, which stores a new
		// String.
		if (membership == null || membership.name != name) {
			membership = new Membership(name, this.namer.poolOf(thread, name));
			this.memberships.put(thread, membership);
		}
		return membership;
	}

	private void forgetDeparted(long pass) {
		Iterator<Membership> iterator = this.memberships.values().iterator();
		while (iterator.hasNext()) {
			if (iterator.next().pass != pass) {
				iterator.remove();
			}
		}
	}

	private static ThreadGroup rootGroup() {
		ThreadGroup group = Thread.currentThread().getThreadGroup();
		while (group.getParent() != null) {
			group = group.getParent();
		}
		return group;
	}

	private static final class Membership {

		private final String name;

		private final String pool;

		private long pass;

		Membership(String name, String pool) {
			this.name = name;
			this.pool = pool;
		}

	}

}
