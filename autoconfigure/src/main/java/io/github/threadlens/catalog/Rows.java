package io.github.threadlens.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The current values of one catalog meter: one value per combination of tag values, the tag
 * values in the order of the definition's tag keys. Immutable, so that every sink reading it
 * during one collection sees the same numbers.
 */
public final class Rows {

	private static final Rows EMPTY = new Rows(Map.of());

	private final Map<List<String>, Double> values;

	private Rows(Map<List<String>, Double> values) {
		this.values = values;
	}

	/**
	 * A single untagged value.
	 * @param value the value
	 * @return the rows
	 */
	public static Rows of(double value) {
		return new Rows(Map.of(List.of(), value));
	}

	/**
	 * No rows at all.
	 * @return the empty rows
	 */
	public static Rows empty() {
		return EMPTY;
	}

	/**
	 * Start building rows.
	 * @return a builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The tag-value combinations present.
	 * @return the keys
	 */
	public Set<List<String>> keys() {
		return this.values.keySet();
	}

	/**
	 * The value of one combination.
	 * @param tagValues the tag values
	 * @return the value, or 0 when the combination is absent
	 */
	public double get(List<String> tagValues) {
		return this.values.getOrDefault(tagValues, 0.0);
	}

	/**
	 * Accumulates rows.
	 */
	public static final class Builder {

		private final Map<List<String>, Double> values = new LinkedHashMap<>();

		private Builder() {
		}

		/**
		 * Add a row.
		 * @param value the value
		 * @param tagValues the tag values, in the definition's tag key order
		 * @return this builder
		 */
		public Builder add(double value, String... tagValues) {
			this.values.put(List.of(tagValues), value);
			return this;
		}

		/**
		 * The rows added.
		 * @return the rows
		 */
		public Rows build() {
			return new Rows(Collections.unmodifiableMap(this.values));
		}

	}

}
