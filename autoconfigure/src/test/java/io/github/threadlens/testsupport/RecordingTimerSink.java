package io.github.threadlens.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.TimerSink;

/**
 * A timer sink that keeps every recorded duration, so a test can check each one, and the
 * series removed from it.
 */
public final class RecordingTimerSink implements TimerSink {

	private final Map<String, ConcurrentLinkedQueue<Long>> recorded = new ConcurrentHashMap<>();

	private final Set<String> removed = ConcurrentHashMap.newKeySet();

	@Override
	public DurationRecorder timer(MeterDefinition definition, List<String> tagValues, List<Duration> buckets) {
		ConcurrentLinkedQueue<Long> durations = this.recorded.computeIfAbsent(key(definition, tagValues),
				(key) -> new ConcurrentLinkedQueue<>());
		return durations::add;
	}

	@Override
	public void remove(MeterDefinition definition, List<String> tagValues) {
		this.removed.add(key(definition, tagValues));
	}

	/**
	 * Whether a series was removed.
	 * @param definition the timer
	 * @param tagValues its tag values
	 * @return whether it was
	 */
	public boolean removed(MeterDefinition definition, String... tagValues) {
		return this.removed.contains(key(definition, List.of(tagValues)));
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
