package io.github.threadlens.catalog;

import java.time.Duration;
import java.util.List;

/**
 * A sink's side of catalog timers: it creates the series a collector records durations
 * into. Collectors get recorders through {@link TimerSinks}, never from a sink directly.
 */
public interface TimerSink {

	/**
	 * The recorder of one timer series.
	 * @param definition the catalog timer
	 * @param tagValues the tag values, in the definition's tag key order
	 * @param buckets the histogram bucket upper bounds, the same on every sink so that
	 * quantiles from either path agree
	 * @return the recorder
	 */
	DurationRecorder timer(MeterDefinition definition, List<String> tagValues, List<Duration> buckets);

	/**
	 * Remove one timer series that nothing will record into again (its pool left the
	 * published set), so that it leaves the scrape. A sink whose backend cannot forget a
	 * series keeps it, as this default does.
	 * @param definition the catalog timer
	 * @param tagValues the tag values the series was created with
	 */
	default void remove(MeterDefinition definition, List<String> tagValues) {
	}

}
