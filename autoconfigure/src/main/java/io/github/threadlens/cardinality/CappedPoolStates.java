package io.github.threadlens.cardinality;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.github.threadlens.census.CensusSnapshot;
import io.github.threadlens.census.ThreadCensus;

/**
 * Per-pool thread states as they are published: the census folded through the
 * {@link PoolCap}. Every sink reads the same view, built once per census snapshot, so the
 * cap's hysteresis and the overflow count do not depend on how many sinks or scrapes there
 * are.
 */
public final class CappedPoolStates {

	private final ThreadCensus census;

	private final PoolCap cap;

	private final AtomicLong folded = new AtomicLong();

	private volatile View view;

	public CappedPoolStates(ThreadCensus census, PoolCap cap) {
		this.census = census;
		this.cap = cap;
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
	 * How many pool values have been folded into {@value PoolCap#OTHER}, summed over every
	 * snapshot published so far.
	 * @return the monotonic overflow total
	 */
	public long overflowTotal() {
		return this.folded.get();
	}

	private View fold(CensusSnapshot snapshot) {
		Map<String, Integer> sizes = new HashMap<>();
		for (String pool : snapshot.pools()) {
			sizes.put(pool, snapshot.size(pool));
		}
		Set<String> admitted = this.cap.admit(sizes);
		Map<String, int[]> counts = new HashMap<>();
		int foldedPools = 0;
		Thread.State[] states = Thread.State.values();
		for (String pool : snapshot.pools()) {
			boolean own = admitted.contains(pool);
			if (!own) {
				foldedPools++;
			}
			int[] target = counts.computeIfAbsent(own ? pool : PoolCap.OTHER, (key) -> new int[states.length]);
			for (Thread.State state : states) {
				target[state.ordinal()] += snapshot.count(pool, state);
			}
		}
		this.folded.addAndGet(foldedPools);
		return new View(snapshot, counts);
	}

	/**
	 * One published view: at most the cap's pools plus {@value PoolCap#OTHER}.
	 */
	public static final class View {

		private final CensusSnapshot snapshot;

		private final Map<String, int[]> counts;

		View(CensusSnapshot snapshot, Map<String, int[]> counts) {
			this.snapshot = snapshot;
			this.counts = Collections.unmodifiableMap(counts);
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
