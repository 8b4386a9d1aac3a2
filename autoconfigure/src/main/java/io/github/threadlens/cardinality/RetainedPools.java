package io.github.threadlens.cardinality;

import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The pools whose counters and timers outlive their place in the published set. A pool that
 * leaves it (its last thread ended, or a larger pool displaced it) keeps them for a grace
 * period: what it counted just before leaving, and the JFR events delivered after it left,
 * still reach a scrape or an export under its name, and a pool back within the grace period
 * continues its series instead of restarting them from zero.
 * <p>
 * At most as many pools as the cap publishes are in their grace period at once, the longest
 * gone retired first: however fast pool names churn, a counter or timer then has at most
 * twice the cap's pool values, plus {@value ThreadLensMeters#OTHER}.
 * <p>
 * Not thread-safe: {@link CappedPoolStates} updates it under its lock.
 */
final class RetainedPools {

	private final int maxInGrace;

	private final long graceNanos;

	// When each pool in its grace period left the published set, the longest gone first.
	private final Map<String, Long> leftAt = new LinkedHashMap<>();

	private Set<String> published = Set.of();

	/**
	 * Create the retention of a cap.
	 * @param maxPools the cap: the most pools published, and the most in their grace period
	 * @param gracePeriod how long a pool stays retained after it left the published set
	 */
	RetainedPools(int maxPools, Duration gracePeriod) {
		this.maxInGrace = maxPools;
		this.graceNanos = gracePeriod.toNanos();
	}

	/**
	 * Take in the pools now published.
	 * @param published the pools published by name
	 * @param now the time, in the ticker's nanoseconds
	 */
	void update(Set<String> published, long now) {
		for (String pool : this.published) {
			if (!published.contains(pool)) {
				this.leftAt.put(pool, now);
			}
		}
		this.leftAt.keySet().removeAll(published);
		this.published = published;
		Iterator<Map.Entry<String, Long>> longestGone = this.leftAt.entrySet().iterator();
		while (longestGone.hasNext()) {
			Map.Entry<String, Long> gone = longestGone.next();
			if (this.leftAt.size() <= this.maxInGrace && now - gone.getValue() < this.graceNanos) {
				// The rest left later: still within their grace period too.
				break;
			}
			longestGone.remove();
		}
	}

	/**
	 * The retained pools.
	 * @return those published by name and those in their grace period
	 */
	Set<String> retained() {
		Set<String> retained = new HashSet<>(this.published);
		retained.addAll(this.leftAt.keySet());
		return Set.copyOf(retained);
	}

}
