package io.github.threadlens.cardinality;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

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
 * Each view is also the series budget of every family tagged by pool: gauges publish the
 * pools the view publishes by name, counters and timers the {@link RetainedPools retained}
 * ones, which add those that left within the grace period. Collectors that keep series of
 * their own between reads (the JFR timers) are told each change of the retained pools.
 * <p>
 * The overflow count grows when a pool is folded into {@value ThreadLensMeters#OTHER} and was not
 * folded in the view before (new, or folded again after it was published or gone), never
 * for a pool that simply stays folded: its value then says how many times pools were
 * refused a name, whatever the number of census snapshots, and so of scrapes, taken.
 */
public final class CappedPoolStates {

	private final ThreadCensus census;

	private final PoolCap cap;

	private final List<Thread.State> states;

	private final RetainedPools retention;

	private final LongSupplier nanoTime;

	private final List<Consumer<Set<String>>> retainedListeners = new CopyOnWriteArrayList<>();

	private final AtomicLong overflow = new AtomicLong();

	// The pools the last view folded; written under the instance's lock.
	private Set<String> folded = Set.of();

	private volatile View view;

	/**
	 * Create the published view of a census whose counters and timers keep no pool beyond
	 * the published ones: a pool's series go at the first census that finds it gone.
	 * @param census the census
	 * @param cap the pool cap
	 * @param states the states published per pool
	 */
	public CappedPoolStates(ThreadCensus census, PoolCap cap, Set<Thread.State> states) {
		this(census, cap, states, Duration.ZERO, System::nanoTime);
	}

	/**
	 * Create the published view of a census.
	 * @param census the census
	 * @param cap the pool cap
	 * @param states the states published per pool
	 * @param gracePeriod how long the counters and timers of a pool that left the published
	 * set are kept
	 * @param nanoTime a monotonic nanosecond ticker, like {@link System#nanoTime()}
	 */
	public CappedPoolStates(ThreadCensus census, PoolCap cap, Set<Thread.State> states, Duration gracePeriod,
			LongSupplier nanoTime) {
		this.census = census;
		this.cap = cap;
		this.states = List.copyOf(states);
		this.retention = new RetainedPools(cap.maxPools(), gracePeriod);
		this.nanoTime = nanoTime;
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
				View previous = current;
				current = fold(snapshot);
				this.view = current;
				if (previous == null || !previous.retained.equals(current.retained)) {
					Set<String> retained = current.retained;
					this.retainedListeners.forEach((listener) -> listener.accept(retained));
				}
			}
			return current;
		}
	}

	/**
	 * The retained pools of the view last published, without taking a census for it unless
	 * none was taken yet.
	 * @return the pools whose counters and timers are kept
	 */
	public Set<String> retainedPools() {
		View last = this.view;
		return (last != null) ? last.retained() : current().retained();
	}

	/**
	 * Tell a listener the retained pools now, if a view was taken, and after each view that
	 * changes them. It is called under this instance's lock, so that it learns the changes in
	 * order: it must not wait for a thread that may be reading a view.
	 * @param listener takes the retained pools
	 */
	public synchronized void onRetainedPools(Consumer<Set<String>> listener) {
		this.retainedListeners.add(listener);
		if (this.view != null) {
			listener.accept(this.view.retained);
		}
	}

	/**
	 * How many times a pool has been folded into {@value ThreadLensMeters#OTHER} while the view before
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
			int[] target = counts.computeIfAbsent(own ? pool : ThreadLensMeters.OTHER, (key) -> new int[all.length]);
			for (Thread.State state : all) {
				target[state.ordinal()] += snapshot.count(pool, state);
			}
		}
		this.overflow.addAndGet(folded.stream().filter((pool) -> !this.folded.contains(pool)).count());
		this.folded = folded;
		this.retention.update(admitted, this.nanoTime.getAsLong());
		Rows.Builder rows = Rows.builder();
		counts.forEach((pool, byState) -> {
			for (Thread.State state : this.states) {
				rows.add(byState[state.ordinal()], pool, ThreadStateNames.tagValue(state));
			}
		});
		return new View(snapshot, counts, rows.build(), this.retention.retained());
	}

	/**
	 * One published view: at most the cap's pools plus {@value ThreadLensMeters#OTHER}.
	 */
	public static final class View {

		private final CensusSnapshot snapshot;

		private final Map<String, int[]> counts;

		private final Rows rows;

		private final Set<String> retained;

		View(CensusSnapshot snapshot, Map<String, int[]> counts, Rows rows, Set<String> retained) {
			this.snapshot = snapshot;
			this.counts = Collections.unmodifiableMap(counts);
			this.rows = rows;
			this.retained = retained;
		}

		/**
		 * The published pool values, those gauges carry.
		 * @return the pools, {@value ThreadLensMeters#OTHER} included when anything was folded
		 */
		public Set<String> pools() {
			return this.counts.keySet();
		}

		/**
		 * The pool values counters and timers may carry besides {@value ThreadLensMeters#OTHER}, which
		 * they always may: the pools published by name and those in their grace period.
		 * @return the retained pools
		 */
		public Set<String> retained() {
			return this.retained;
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
