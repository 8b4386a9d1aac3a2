package io.github.threadlens.census;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * The live platform threads at one moment, counted per pool and state. Immutable: every
 * gauge of a scrape, and concurrent scrapes, read the same snapshot.
 */
public final class CensusSnapshot {

	private static final int STATES = Thread.State.values().length;

	private final int live;

	private final int[] states;

	private final int[] daemonStates;

	private final Map<String, int[]> pools;

	CensusSnapshot(int live, int[] states, int[] daemonStates, Map<String, int[]> pools) {
		this.live = live;
		this.states = states;
		this.daemonStates = daemonStates;
		this.pools = Collections.unmodifiableMap(pools);
	}

	/**
	 * The number of live platform threads.
	 * @return live threads
	 */
	public int live() {
		return this.live;
	}

	/**
	 * The number of live daemon platform threads.
	 * @return daemon threads
	 */
	public int daemon() {
		int daemon = 0;
		for (int count : this.daemonStates) {
			daemon += count;
		}
		return daemon;
	}

	/**
	 * The number of live threads in a state, over all pools.
	 * @param state the state
	 * @return the count
	 */
	public int count(Thread.State state) {
		return this.states[state.ordinal()];
	}

	/**
	 * The number of live daemon, or non-daemon, threads in a state, over all pools.
	 * @param daemon whether to count daemon threads or the others
	 * @param state the state
	 * @return the count
	 */
	public int count(boolean daemon, Thread.State state) {
		int daemons = this.daemonStates[state.ordinal()];
		return daemon ? daemons : this.states[state.ordinal()] - daemons;
	}

	/**
	 * The pools that had at least one live thread.
	 * @return the pool names
	 */
	public Set<String> pools() {
		return this.pools.keySet();
	}

	/**
	 * The number of threads of a pool in a state.
	 * @param pool the pool
	 * @param state the state
	 * @return the count; 0 for an unknown pool
	 */
	public int count(String pool, Thread.State state) {
		int[] counts = this.pools.get(pool);
		return (counts != null) ? counts[state.ordinal()] : 0;
	}

	/**
	 * The number of live threads of a pool.
	 * @param pool the pool
	 * @return the count; 0 for an unknown pool
	 */
	public int size(String pool) {
		int[] counts = this.pools.get(pool);
		if (counts == null) {
			return 0;
		}
		int size = 0;
		for (int count : counts) {
			size += count;
		}
		return size;
	}

	static int[] newStateCounts() {
		return new int[STATES];
	}

}
