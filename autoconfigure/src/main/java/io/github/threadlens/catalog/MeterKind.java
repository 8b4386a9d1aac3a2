package io.github.threadlens.catalog;

/**
 * What a catalog meter is, independent of the library that publishes it.
 */
public enum MeterKind {

	/** A value sampled when read; it may go up and down. */
	GAUGE,

	/** A monotonic total. */
	COUNTER,

	/** A distribution of durations, published with histogram buckets. */
	TIMER

}
