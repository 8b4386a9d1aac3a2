package io.github.threadlens.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.TimerSink;

/**
 * A timer sink that keeps every recorded duration, so a test can check each one.
 */
public final class RecordingTimerSink implements TimerSink {

	private final Map<String, ConcurrentLinkedQueue<Long>> recorded = new ConcurrentHashMap<>();

	@Override
	public DurationRecorder timer(MeterDefinition definition, List<String> tagValues, List<Duration> buckets) {
		ConcurrentLinkedQueue<Long> durations = this.recorded.computeIfAbsent(key(definition, tagValues),
				(key) -> new ConcurrentLinkedQueue<>());
		return durations::add;
	}

	/**
	 * The durations recorded into one series, in nanoseconds.
	 * @param definition the timer
	 * @param tagValues its tag values
	 * @return the durations
	 */
	public List<Long> recorded(MeterDefinition definition, String... tagValues) {
		ConcurrentLinkedQueue<Long> durations = this.recorded.get(key(definition, List.of(tagValues)));
		return (durations != null) ? List.copyOf(durations) : List.of();
	}

	private static String key(MeterDefinition definition, List<String> tagValues) {
		return definition.name() + tagValues;
	}

}
