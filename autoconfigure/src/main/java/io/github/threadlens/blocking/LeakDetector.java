package io.github.threadlens.blocking;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.CensusSnapshot;
import io.github.threadlens.census.ThreadCensus;

/**
 * Suspects a thread leak in a pool whose thread count grew by at least a minimum over the
 * whole of a window without ever falling back, and that is not a bounded pool at its
 * maximum. A pool that grew once at start-up and stays flat is not suspected: the growth must
 * happen within the window.
 * <p>
 * Its history is the census snapshots taken for scrapes and health checks, so it costs no
 * thread pass of its own: each new snapshot adds one point per pool.
 */
public final class LeakDetector {

	private final ThreadCensus census;

	private final Duration window;

	private final int minGrowth;

	private final Function<String, OptionalInt> maxThreads;

	private final Supplier<Set<String>> publishedPools;

	private final LongSupplier nanoTime;

	private final Map<String, Deque<Point>> history = new HashMap<>();

	private CensusSnapshot lastSeen;

	/**
	 * Create a detector.
	 * @param census the census whose snapshots it watches
	 * @param window how long a pool must keep growing
	 * @param minGrowth the least growth, in threads, over the window
	 * @param maxThreads the maximum size of a pool known to be bounded (an executor's max)
	 * @param publishedPools the pools published by name, whose gauge rows it publishes
	 * @param nanoTime the clock
	 */
	public LeakDetector(ThreadCensus census, Duration window, int minGrowth,
			Function<String, OptionalInt> maxThreads, Supplier<Set<String>> publishedPools, LongSupplier nanoTime) {
		this.census = census;
		this.window = window;
		this.minGrowth = minGrowth;
		this.maxThreads = maxThreads;
		this.publishedPools = publishedPools;
		this.nanoTime = nanoTime;
	}

	/**
	 * The pools suspected now, after taking in the census's current snapshot.
	 * @return the suspects, largest growth first
	 */
	public synchronized List<Suspect> suspects() {
		observe();
		List<Suspect> suspects = new ArrayList<>();
		long now = this.nanoTime.getAsLong();
		this.history.forEach((pool, points) -> {
			Point first = points.peekFirst();
			Point last = points.peekLast();
			if (now - first.at() < this.window.toNanos() || last.threads() - first.threads() < this.minGrowth) {
				return;
			}
			OptionalInt max = this.maxThreads.apply(pool);
			if (max.isPresent() && last.threads() >= max.getAsInt()) {
				return;
			}
			suspects.add(new Suspect(pool, last.threads(), last.threads() - first.threads(), this.window));
		});
		suspects.sort((a, b) -> Integer.compare(b.growth(), a.growth()));
		return suspects;
	}

	private void observe() {
		CensusSnapshot snapshot = this.census.snapshot();
		if (snapshot == this.lastSeen) {
			return;
		}
		this.lastSeen = snapshot;
		long now = this.nanoTime.getAsLong();
		long horizon = now - this.window.toNanos();
		this.history.keySet().retainAll(snapshot.pools());
		for (String pool : snapshot.pools()) {
			Deque<Point> points = this.history.computeIfAbsent(pool, (key) -> new ArrayDeque<>());
			int threads = snapshot.size(pool);
			if (!points.isEmpty() && threads < points.peekLast().threads()) {
				// Fell back: growth starts over from here.
				points.clear();
			}
			points.addLast(new Point(now, threads));
			// Keep one point at or before the window's start, as the baseline.
			while (points.size() >= 2 && secondOf(points).at() <= horizon) {
				points.removeFirst();
			}
		}
	}

	private static Point secondOf(Deque<Point> points) {
		Iterator<Point> iterator = points.iterator();
		iterator.next();
		return iterator.next();
	}

	/**
	 * {@code jvm.threads.leak.suspected{pool}}: 1 for a suspected pool, 0 for the other pools
	 * published by name.
	 * @return the family
	 */
	public ObservedMeters meters() {
		return new ObservedMeters("leaks", true, List.of(new ObservedMeter(ThreadLensMeters.THREADS_LEAK_SUSPECTED, () -> {
			Set<String> suspected = new HashSet<>();
			suspects().forEach((suspect) -> suspected.add(suspect.pool()));
			Rows.Builder rows = Rows.builder();
			for (String pool : this.publishedPools.get()) {
				rows.add(suspected.contains(pool) ? 1 : 0, pool);
			}
			return rows.build();
		})));
	}

	private record Point(long at, int threads) {

	}

	/**
	 * A pool suspected of leaking threads.
	 *
	 * @param pool the pool
	 * @param threads its threads now
	 * @param growth how many more than at the start of the window
	 * @param window the window
	 */
	public record Suspect(String pool, int threads, int growth, Duration window) {

	}

}
