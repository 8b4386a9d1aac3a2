package io.github.threadlens.catalog;

import java.util.Locale;

/**
 * Why a thread that is not running waits: the fixed vocabulary of
 * {@code jvm.threads.blocking{reason}}.
 */
public enum BlockingReason {

	/** BLOCKED entering a {@code synchronized} block or method held by another thread. */
	MONITOR,

	/** In {@code Object.wait()}. */
	OBJECT_WAIT,

	/** Parked on a {@code java.util.concurrent} lock, condition or synchronizer. */
	LOCK,

	/** A pool worker parked waiting for work: an idle pool, not contention. */
	IDLE,

	/** In {@code Thread.sleep}. */
	SLEEP,

	/** RUNNABLE inside a native socket, file or selector read: waiting on I/O. */
	IO,

	/** Waiting for a {@code Future} or {@code CompletableFuture}. */
	FUTURE,

	/** In {@code Thread.join}. */
	JOIN,

	/** Waiting for something none of the other reasons describe. */
	OTHER;

	private final String tagValue = name().toLowerCase(Locale.ROOT);

	/**
	 * The tag value, e.g. {@code object_wait}.
	 * @return the value
	 */
	public String tagValue() {
		return this.tagValue;
	}

}
