package io.github.threadlens.catalog;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Every sink's {@link TimerSink} behind one: a recorder obtained here records into all of
 * them. Recording happens on the task path, so a sink that throws loses that recording,
 * is logged once per series, and never fails the task or the other sinks.
 */
public final class TimerSinks {

	private static final Log logger = LogFactory.getLog(TimerSinks.class);

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
		String series = definition.name() + tagValues;
		DurationRecorder[] recorders = this.sinks.stream()
			.map((sink) -> guarded(sink.timer(definition, tagValues, buckets), series, sink))
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

	/**
	 * Remove one timer series from every sink that can forget it.
	 * @param definition the catalog timer
	 * @param tagValues the tag values the series was created with
	 */
	public void remove(MeterDefinition definition, List<String> tagValues) {
		this.sinks.forEach((sink) -> sink.remove(definition, tagValues));
	}

	private static DurationRecorder guarded(DurationRecorder recorder, String series, TimerSink sink) {
		AtomicBoolean logged = new AtomicBoolean();
		return (nanos) -> {
			try {
				recorder.record(nanos);
			}
			catch (RuntimeException ex) {
				if (logged.compareAndSet(false, true)) {
					logger.warn("Recording into " + series + " on " + sink.getClass().getSimpleName()
							+ " failed; its recordings are dropped and tasks are unaffected", ex);
				}
			}
		};
	}

}
