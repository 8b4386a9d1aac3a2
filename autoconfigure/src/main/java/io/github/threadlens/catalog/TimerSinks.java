package io.github.threadlens.catalog;

import java.time.Duration;
import java.util.List;

/**
 * Every sink's {@link TimerSink} behind one: a recorder obtained here records into all of
 * them. With one sink the recorder is that sink's own, with no indirection on the task path.
 */
public final class TimerSinks {

	private final List<TimerSink> sinks;

	public TimerSinks(List<TimerSink> sinks) {
		this.sinks = List.copyOf(sinks);
	}

	/**
	 * The recorder of one timer series on every sink.
	 * @param definition the catalog timer
	 * @param tagValues the tag values
	 * @param buckets the histogram bucket upper bounds
	 * @return the recorder; one that does nothing when there is no sink
	 */
	public DurationRecorder timer(MeterDefinition definition, List<String> tagValues, List<Duration> buckets) {
		if (definition.kind() != MeterKind.TIMER) {
			throw new IllegalArgumentException(definition.name() + " is not a timer");
		}
		DurationRecorder[] recorders = this.sinks.stream()
			.map((sink) -> sink.timer(definition, tagValues, buckets))
			.toArray(DurationRecorder[]::new);
		if (recorders.length == 0) {
			return (nanos) -> {
			};
		}
		if (recorders.length == 1) {
			return recorders[0];
		}
		return (nanos) -> {
			for (DurationRecorder recorder : recorders) {
				recorder.record(nanos);
			}
		};
	}

}
