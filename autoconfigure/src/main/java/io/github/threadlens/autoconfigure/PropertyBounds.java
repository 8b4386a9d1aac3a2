package io.github.threadlens.autoconfigure;

import java.time.Duration;

/**
 * Upper bounds shared by ThreadLens's properties, so that no value, however large, overflows
 * further on (a duration in nanoseconds, a cap plus the {@code other} series) and fails
 * start-up with a stack trace instead of a message naming the property.
 */
final class PropertyBounds {

	/** The longest duration any ThreadLens property accepts. */
	static final Duration MAX_DURATION = Duration.ofDays(1);

	/** The largest series cap: more series per tag than any Prometheus should hold per target. */
	static final int MAX_CAP = 10_000;

	private PropertyBounds() {
	}

	/**
	 * Refuse a duration longer than {@link #MAX_DURATION}.
	 * @param property the property's full name
	 * @param value the value to check
	 * @throws InvalidThreadLensPropertyException if the value is too long
	 */
	static void requireAtMostMaxDuration(String property, Duration value) {
		if (value.compareTo(MAX_DURATION) > 0) {
			throw new InvalidThreadLensPropertyException(property, value, "it is longer than a day",
					"use a duration of at most 1d");
		}
	}

	/**
	 * Refuse a series cap above {@link #MAX_CAP}.
	 * @param property the property's full name
	 * @param value the value to check
	 * @throws InvalidThreadLensPropertyException if the value is too large
	 */
	static void requireAtMostMaxCap(String property, int value) {
		if (value > MAX_CAP) {
			throw new InvalidThreadLensPropertyException(property, value,
					"a cap that high bounds nothing a Prometheus server can hold",
					"use a number of at most " + MAX_CAP);
		}
	}

}
