package io.github.threadlens.blocking;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadRoster;
import org.jspecify.annotations.Nullable;

/**
 * The pool of a thread as JFR events name threads, by id and name: looked up by id in a map
 * of the live threads, rebuilt from one roster pass when an unknown id turns up, at most once
 * per second, so that a live thread gets the pool the census gives it, attribution included.
 * A thread not found there, which usually ended before its events were read, is named from
 * its name by the same rules without attribution; nothing is kept for it, so memory follows
 * the live threads, not every thread ever started.
 */
final class PoolsById {

	private static final long REFRESH_NANOS = Duration.ofSeconds(1).toNanos();

	private final PoolNamer namer;

	private final ThreadRoster roster;

	private final LongSupplier nanoTime;

	private volatile Map<Long, String> pools = Map.of();

	private long refreshedAt;

	private boolean refreshed;

	PoolsById(PoolNamer namer, LongSupplier nanoTime) {
		this.namer = namer;
		this.roster = new ThreadRoster(namer);
		this.nanoTime = nanoTime;
	}

	/**
	 * The pool of an event's thread.
	 * @param id the thread's id
	 * @param name its name as the event records it, {@code null} when JFR has none
	 * @return the pool, {@code other} for a thread neither live nor named
	 */
	@SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; getId() is the same id.
	String poolOf(long id, @Nullable String name) {
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
		if (pool != null) {
			return pool;
		}
		return (name != null) ? this.namer.poolOfName(name) : ThreadLensMeters.OTHER;
	}

}
