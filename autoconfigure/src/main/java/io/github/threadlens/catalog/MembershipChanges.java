package io.github.threadlens.catalog;

/**
 * Tells sinks that a family's set of series changed (an executor was monitored), for
 * families whose rows cannot be discovered by reading an existing series: a family with no
 * series yet is never read.
 */
@FunctionalInterface
public interface MembershipChanges {

	/** For families that always have series, whose reads reveal every change. */
	MembershipChanges NONE = (listener) -> () -> {
	};

	/**
	 * Call a listener after every change.
	 * @param listener the listener
	 * @return what stops the calls
	 */
	AutoCloseable subscribe(Runnable listener);

}
