package io.github.threadlens.catalog;

/**
 * Records durations into one series of a catalog timer, on every sink at once. Called on
 * the task path, so implementations must be cheap and never throw.
 */
@FunctionalInterface
public interface DurationRecorder {

	/**
	 * Record one duration.
	 * @param nanos the duration in nanoseconds
	 */
	void record(long nanos);

}
