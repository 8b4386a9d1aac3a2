package io.github.threadlens.census;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * A value reused while younger than a maximum age, then taken again. Concurrent callers that
 * find it stale wait for one taking and share it, so a scrape and a health check arriving
 * together pay once; takings never overlap, so what takes need not be thread-safe.
 *
 * @param <T> the value type; {@code null} is a value like any other
 */
public final class MaxAgeCache<T> {

	private final long maxAgeNanos;

	private final LongSupplier nanoTime;

	private final Supplier<T> take;

	private volatile @Nullable Entry<T> current;

	/**
	 * Create a cache.
	 * @param maxAge how long a value is reused
	 * @param nanoTime a monotonic nanosecond ticker, like {@link System#nanoTime()}
	 * @param take takes a new value
	 */
	public MaxAgeCache(Duration maxAge, LongSupplier nanoTime, Supplier<T> take) {
		this.maxAgeNanos = maxAge.toNanos();
		this.nanoTime = nanoTime;
		this.take = take;
	}

	/**
	 * The cached value while it is younger than the maximum age, else a new one.
	 * @return the value
	 */
	public T get() {
		Entry<T> entry = this.current;
		if (isFresh(entry)) {
			return entry.value();
		}
		synchronized (this) {
			entry = this.current;
			if (!isFresh(entry)) {
				long takenAt = this.nanoTime.getAsLong();
				entry = new Entry<>(this.take.get(), takenAt);
				this.current = entry;
			}
			return entry.value();
		}
	}

	private boolean isFresh(@Nullable Entry<T> entry) {
		return entry != null && this.nanoTime.getAsLong() - entry.takenAt() < this.maxAgeNanos;
	}

	private record Entry<T>(T value, long takenAt) {

	}

}
