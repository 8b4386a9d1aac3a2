package io.github.threadlens.cardinality;

import java.util.Map;
import java.util.OptionalInt;

import io.github.threadlens.catalog.BlockingReason;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The most series each catalog entry can have, from the caps on its tag values: a sink whose
 * backend enforces a limit of its own (the OpenTelemetry SDK's view cardinality limit) sets
 * it from here, so the backend never folds a series ThreadLens meant to publish and still
 * catches a tag that outgrows its cap.
 * <p>
 * A gauge tagged by pool carries the published pools and {@code other}; a counter or timer
 * also the pools in their grace period, at most as many again ({@link RetainedPools}). A tag
 * whose values ThreadLens does not cap (an executor's {@code name}, which comes from the
 * application's beans) leaves its entries unbounded here.
 */
public final class SeriesLimits {

	private static final int THREAD_STATES = Thread.State.values().length;

	/** {@code jvm.threads.virtual.live}: mounted or queued. */
	private static final int SCHEDULING_STATUSES = 2;

	/** {@code jvm.thread.count}: daemon or not. */
	private static final int DAEMON_VALUES = 2;

	private final int maxPools;

	private final Map<String, Integer> valuesPerTag;

	/**
	 * Limits from the configured caps.
	 * @param maxPools pools published by name, and pools in their grace period; one more
	 * value, {@code other}, takes the rest
	 * @param maxClasses classes the JFR timers tag by name; {@code other} takes the rest
	 * @param depthRanges the ranges of {@code jvm.threads.stack.depth}
	 */
	public SeriesLimits(int maxPools, int maxClasses, int depthRanges) {
		int poolTagged = (int) ThreadLensMeters.all()
			.stream()
			.filter((definition) -> definition.tagKeys().contains(ThreadLensMeters.POOL))
			.count();
		this.maxPools = maxPools;
		this.valuesPerTag = Map.of(ThreadLensMeters.CLASS, maxClasses + 1,
				ThreadLensMeters.STATE, THREAD_STATES, ThreadLensMeters.REASON, BlockingReason.values().length,
				ThreadLensMeters.DEPTH, depthRanges, ThreadLensMeters.METER, poolTagged, ThreadLensMeters.COLLECTOR,
				ThreadLensMeters.COLLECTORS.size(), ThreadLensMeters.SCHEDULING_STATUS, SCHEDULING_STATUSES,
				ThreadLensMeters.DAEMON, DAEMON_VALUES);
	}

	/**
	 * The most series an entry can have: the product of its tags' value counts.
	 * @param definition the catalog entry
	 * @return the bound, or empty when one of its tags is not capped by ThreadLens
	 */
	public OptionalInt maxSeries(MeterDefinition definition) {
		long series = 1;
		for (String key : definition.tagKeys()) {
			Integer values = values(definition, key);
			if (values == null) {
				return OptionalInt.empty();
			}
			series *= values;
		}
		return OptionalInt.of((int) Math.min(series, Integer.MAX_VALUE));
	}

	private Integer values(MeterDefinition definition, String key) {
		if (key.equals(ThreadLensMeters.POOL)) {
			return (definition.kind() == MeterKind.GAUGE) ? this.maxPools + 1 : 2 * this.maxPools + 1;
		}
		return this.valuesPerTag.get(key);
	}

}
