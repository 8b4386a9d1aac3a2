package io.github.threadlens.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Upper bounds shared by ThreadLens's properties, so that no value, however large, overflows
 * further on (a duration in nanoseconds, a cap plus the {@code other} series) and fails
 * start-up with a stack trace instead of a message naming the property; and the failure
 * every property check throws.
 */
final class PropertyBounds {

	/** The longest duration any ThreadLens property accepts. */
	static final Duration MAX_DURATION = Duration.ofDays(1);

	/** The largest series cap: more series per tag than any Prometheus should hold per target. */
	static final int MAX_CAP = 10_000;

	private PropertyBounds() {
	}

	/**
	 * The failure for a value that cannot work, thrown while binding: Boot's failure analysis
	 * names the property, the value and where it was set, with the reason and what to change.
	 * @param property the property's full name, e.g. {@code threadlens.cardinality.max-pools}
	 * @param value the rejected value
	 * @param reason why it was rejected
	 * @param action what to change
	 * @return the exception to throw
	 */
	static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason,
			String action) {
		return new InvalidConfigurationPropertyValueException(property, value, reason + "; " + action);
	}

	/**
	 * Refuse a duration longer than {@link #MAX_DURATION}.
	 * @param property the property's full name
	 * @param value the value to check
	 * @throws InvalidConfigurationPropertyValueException if the value is too long
	 */
	static void requireAtMostMaxDuration(String property, Duration value) {
		if (value.compareTo(MAX_DURATION) > 0) {
			throw invalid(property, value, "it is longer than a day",
					"use a duration of at most 1d");
		}
	}

	/**
	 * Refuse a series cap above {@link #MAX_CAP}.
	 * @param property the property's full name
	 * @param value the value to check
	 * @throws InvalidConfigurationPropertyValueException if the value is too large
	 */
	static void requireAtMostMaxCap(String property, int value) {
		if (value > MAX_CAP) {
			throw invalid(property, value,
					"a cap that high bounds nothing a Prometheus server can hold",
					"use a number of at most " + MAX_CAP);
		}
	}

}
