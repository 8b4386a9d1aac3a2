package io.github.threadlens.cardinality;

import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.CensusSnapshot;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.census.ThreadStateNames;

/**
 * Per-pool thread states as they are published: the census folded through the
 * {@link PoolCap}. Every sink reads the same view, built once per census snapshot, so the
 * cap's hysteresis does not depend on how many sinks or scrapes there are.
 * <p>
 * The overflow count grows when a pool is folded into {@value PoolCap#OTHER} and was not
 * folded in the view before (new, or folded again after it was published or gone), never
 * for a pool that simply stays folded: its value then says how many times pools were
 * refused a name, whatever the number of census snapshots, and so of scrapes, taken.
 */
public final class CappedPoolStates {

	private final ThreadCensus census;

	private final PoolCap cap;

	private final List<Thread.State> states;

	private final AtomicLong overflow = new AtomicLong();

	// The pools the last view folded; written under the instance's lock.
	private Set<String> folded = Set.of();

	private volatile View view;

	/**
	 * Create the published view of a census.
	 * @param census the census
	 * @param cap the pool cap
	 * @param states the states published per pool
	 */
	public CappedPoolStates(ThreadCensus census, PoolCap cap, Set<Thread.State> states) {
		this.census = census;
		this.cap = cap;
		this.states = List.copyOf(states);
	}

	/**
	 * The published view of the current census snapshot.
	 * @return the view
	 */
	public View current() {
		CensusSnapshot snapshot = this.census.snapshot();
		View current = this.view;
		if (current != null && current.snapshot == snapshot) {
			return current;
		}
		synchronized (this) {
			current = this.view;
			if (current == null || current.snapshot != snapshot) {
				current = fold(snapshot);
				this.view = current;
			}
			return current;
		}
	}

	/**
	 * The pools of the view last published, without taking a census for it: for callers on
	 * a hot path (one per JFR event) that must not drive census passes or overflow counts.
	 * Before any view was published, the current one is.
	 * @return the pools published by name
	 */
	public Set<String> publishedPools() {
		View last = this.view;
		return (last != null) ? last.pools() : current().pools();
	}

	/**
	 * How many times a pool has been folded into {@value PoolCap#OTHER} while the view before
	 * did not fold it.
	 * @return the monotonic overflow total
	 */
	public long overflowTotal() {
		return this.overflow.get();
	}

	/**
	 * The per-pool family: {@code jvm.threads.pool.states} and its overflow counter.
	 * @return the family's meters
	 */
	public ObservedMeters meters() {
		String poolStates = ThreadLensMeters.THREADS_POOL_STATES.name();
		return new ObservedMeters("pool-states", true,
				List.of(new ObservedMeter(ThreadLensMeters.THREADS_POOL_STATES, () -> current().rows),
						new ObservedMeter(ThreadLensMeters.CARDINALITY_OVERFLOW, () -> {
							// As of the current view, whichever of the two a scrape reads first.
							current();
							return Rows.builder().add(overflowTotal(), poolStates).build();
						})));
	}

	private View fold(CensusSnapshot snapshot) {
		Map<String, Integer> sizes = new HashMap<>();
		for (String pool : snapshot.pools()) {
			sizes.put(pool, snapshot.size(pool));
		}
		Set<String> admitted = this.cap.admit(sizes);
		Map<String, int[]> counts = new HashMap<>();
		Set<String> folded = new HashSet<>();
		Thread.State[] all = Thread.State.values();
		for (String pool : snapshot.pools()) {
			boolean own = admitted.contains(pool);
			if (!own) {
				folded.add(pool);
			}
			int[] target = counts.computeIfAbsent(own ? pool : PoolCap.OTHER, (key) -> new int[all.length]);
			for (Thread.State state : all) {
				target[state.ordinal()] += snapshot.count(pool, state);
			}
		}
		this.overflow.addAndGet(folded.stream().filter((pool) -> !this.folded.contains(pool)).count());
		this.folded = folded;
		Rows.Builder rows = Rows.builder();
		counts.forEach((pool, byState) -> {
			for (Thread.State state : this.states) {
				rows.add(byState[state.ordinal()], pool, ThreadStateNames.tagValue(state));
			}
		});
		return new View(snapshot, counts, rows.build());
	}

	/**
	 * One published view: at most the cap's pools plus {@value PoolCap#OTHER}.
	 */
	public static final class View {

		private final CensusSnapshot snapshot;

		private final Map<String, int[]> counts;

		private final Rows rows;

		View(CensusSnapshot snapshot, Map<String, int[]> counts, Rows rows) {
			this.snapshot = snapshot;
			this.counts = Collections.unmodifiableMap(counts);
			this.rows = rows;
		}

		/**
		 * The published pool values.
		 * @return the pools, {@value PoolCap#OTHER} included when anything was folded
		 */
		public Set<String> pools() {
			return this.counts.keySet();
		}

		/**
		 * The number of threads of a published pool in a state.
		 * @param pool the published pool value
		 * @param state the state
		 * @return the count; 0 for a pool not in this view
		 */
		public int count(String pool, Thread.State state) {
			int[] counts = this.counts.get(pool);
			return (counts != null) ? counts[state.ordinal()] : 0;
		}

	}

}
