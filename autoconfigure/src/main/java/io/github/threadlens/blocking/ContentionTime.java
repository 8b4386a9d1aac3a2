package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * Time threads spent BLOCKED and waiting, per pool, as monotonic totals: each sampler pass
 * adds what every thread accumulated since the previous pass, so the time of a thread that
 * has since ended stays counted. Thread contention monitoring must be on; where it is not,
 * the JVM reports -1 and nothing is added.
 * <p>
 * The totals of a pool last as long as it is retained (published, or in its grace period)
 * and go with its series when it retires; {@value ThreadLensMeters#OTHER} never retires.
 */
final class ContentionTime {

	private final Map<Long, long[]> lastSeen = new HashMap<>();

	private final Map<String, Long> blockedMillis = new HashMap<>();

	private final Map<String, Long> waitedMillis = new HashMap<>();

	private final Set<Long> seenThisPass = new HashSet<>();

	/**
	 * Add one thread's times as read in this pass.
	 * @param info the thread's info
	 * @param pool its pool if retained, else {@value ThreadLensMeters#OTHER}
	 */
	void add(ThreadInfo info, String pool) {
		long blocked = info.getBlockedTime();
		long waited = info.getWaitedTime();
		if (blocked < 0 || waited < 0) {
			return;
		}
		long[] previous = this.lastSeen.getOrDefault(info.getThreadId(), new long[2]);
		this.blockedMillis.merge(pool, Math.max(0, blocked - previous[0]), Long::sum);
		this.waitedMillis.merge(pool, Math.max(0, waited - previous[1]), Long::sum);
		// Remembered at once, so that a pass that fails half-way never counts a delta twice.
		this.lastSeen.put(info.getThreadId(), new long[] { blocked, waited });
		this.seenThisPass.add(info.getThreadId());
	}

	/**
	 * End a pass: threads not seen in it have ended and are forgotten, their time kept as
	 * long as their pool is retained.
	 * @param retained the retained pools
	 */
	void endPass(Set<String> retained) {
		this.lastSeen.keySet().retainAll(this.seenThisPass);
		this.seenThisPass.clear();
		Predicate<String> retired = (pool) -> !pool.equals(ThreadLensMeters.OTHER) && !retained.contains(pool);
		this.blockedMillis.keySet().removeIf(retired);
		this.waitedMillis.keySet().removeIf(retired);
	}

	Rows blocked() {
		return rows(this.blockedMillis);
	}

	Rows waited() {
		return rows(this.waitedMillis);
	}

	private static Rows rows(Map<String, Long> millis) {
		Rows.Builder rows = Rows.builder();
		millis.forEach((pool, total) -> rows.add(total / 1000.0, pool));
		return rows.build();
	}

}
