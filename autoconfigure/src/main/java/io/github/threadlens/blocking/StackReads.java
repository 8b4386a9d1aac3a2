package io.github.threadlens.blocking;

import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How the blocking sampler reads threads' stacks on this JVM, within a pass's time budget.
 * <p>
 * On JDK 21+ {@code Thread.getStackTrace()} of another thread is a handshake with that thread
 * alone: the other threads run on, so the reads stop nothing but the thread read
 * ({@link HandshakeStackReads}). On older JDKs every way to read another thread's stack is a
 * global safepoint, so stacks are read in slices sized to the pause budget
 * ({@link SafepointStackReads}).
 */
interface StackReads {

	/** The feature version from which a stack read of another thread is a handshake. */
	int HANDSHAKE_FEATURE_VERSION = 21;

	/**
	 * Read the stacks of threads, in their order, until the budget is spent.
	 * @param threads the threads, those to read first first
	 * @param liveThreads how many threads are alive, which a safepoint's cost grows with
	 * @param budgetNanos how long the reads may take in all
	 * @param readings where each stack read goes
	 * @return the global stops the reads caused
	 */
	Stops read(List<Thread> threads, int liveThreads, long budgetNanos, Readings readings);

	/**
	 * The reads for the running JVM.
	 * @param threads the thread MXBean
	 * @param maxDepth the most frames per stack
	 * @param maxPauseNanos the longest a read may stop the application
	 * @param nanoTime a monotonic nanosecond ticker
	 * @return the reads
	 */
	static StackReads forThisJvm(ThreadMXBean threads, int maxDepth, long maxPauseNanos, LongSupplier nanoTime) {
		if (Runtime.version().feature() >= HANDSHAKE_FEATURE_VERSION) {
			return new HandshakeStackReads(maxDepth, nanoTime);
		}
		return new SafepointStackReads(threads, maxDepth, maxPauseNanos, nanoTime);
	}

	/**
	 * Where stack reads go.
	 */
	@FunctionalInterface
	interface Readings {

		/**
		 * One thread's stack.
		 * @param threadId the thread's id
		 * @param stack its frames, at most the maximum depth
		 */
		void read(long threadId, StackTraceElement[] stack);

	}

	/**
	 * The global stops stack reads caused.
	 *
	 * @param longest the longest, in nanoseconds
	 * @param total all of them together, in nanoseconds
	 */
	record Stops(long longest, long total) {

		static final Stops NONE = new Stops(0, 0);

	}

}
