package io.github.threadlens.blocking;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.ThreadRoster;

/**
 * The pool of a thread known only by its id, as JFR events name threads: looked up in a map
 * of the live threads, rebuilt from one roster pass when an unknown id turns up, at most once
 * per second. A thread that ended before it could be looked up counts as {@code other}.
 */
final class PoolsById implements LongFunction<String> {

	private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

	private final ThreadRoster roster;

	private final LongSupplier nanoTime;

	private volatile Map<Long, String> pools = Map.of();

	private long refreshedAt;

	private boolean refreshed;

	PoolsById(ThreadRoster roster, LongSupplier nanoTime) {
		this.roster = roster;
		this.nanoTime = nanoTime;
	}

	@Override
	@SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same id.
	public String apply(long id) {
		String pool = this.pools.get(id);
		if (pool == null) {
			synchronized (this) {
				long now = this.nanoTime.getAsLong();
				if (!this.refreshed || now - this.refreshedAt >= REFRESH_NANOS) {
					Map<Long, String> live = new HashMap<>();
					this.roster.forEach((thread, threadPool) -> {
						live.put(thread.getId(), threadPool);
						return true;
					});
					this.pools = live;
					this.refreshedAt = now;
					this.refreshed = true;
				}
			}
			pool = this.pools.get(id);
		}
		return (pool != null) ? pool : ThreadLensMeters.OTHER;
	}

}
