package io.github.threadlens.rules;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;

/**
 * The name a catalog meter has at {@code /actuator/prometheus}, as Micrometer's Prometheus
 * naming convention writes it: dots to underscores, the base unit appended, {@code _total}
 * for counters. Rules refer to meters through this, never by a typed name.
 */
public final class PrometheusNames {

	private PrometheusNames() {
	}

	/**
	 * The series name of a gauge or counter, or the base name of a timer (whose series add
	 * {@code _bucket}, {@code _count}, {@code _sum}).
	 * @param definition the catalog entry
	 * @return the Prometheus name
	 */
	public static String of(MeterDefinition definition) {
		String name = definition.name().replace('.', '_');
		String unit = definition.baseUnit();
		if (unit != null && !name.endsWith("_" + unit)) {
			name = name + "_" + unit;
		}
		return (definition.kind() == MeterKind.COUNTER) ? name + "_total" : name;
	}

	/**
	 * The bucket series of a timer's histogram.
	 * @param timer the catalog entry of a timer
	 * @return the {@code _bucket} name
	 */
	public static String buckets(MeterDefinition timer) {
		return of(timer) + "_bucket";
	}

	/**
	 * The count series of a timer.
	 * @param timer the catalog entry of a timer
	 * @return the {@code _count} name
	 */
	public static String count(MeterDefinition timer) {
		return of(timer) + "_count";
	}

}
