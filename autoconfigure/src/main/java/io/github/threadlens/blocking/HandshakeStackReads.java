package io.github.threadlens.blocking;

import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Stack reads by {@code Thread.getStackTrace()}, one thread at a time: on JDK 21+ a handshake
 * with the thread read, which stops no other thread, so no read counts as a global stop.
 */
final class HandshakeStackReads implements StackReads {

	private final int maxDepth;

	private final LongSupplier nanoTime;

	HandshakeStackReads(int maxDepth, LongSupplier nanoTime) {
		this.maxDepth = maxDepth;
		this.nanoTime = nanoTime;
	}

	@Override
	public Stops read(List<Thread> threads, int liveThreads, long budgetNanos, Readings readings) {
		long started = this.nanoTime.getAsLong();
		for (Thread thread : threads) {
			if (this.nanoTime.getAsLong() - started >= budgetNanos) {
				break;
			}
			StackTraceElement[] stack = thread.getStackTrace();
			// An ended thread has an empty stack; the next pass leaves it out.
			if (thread.isAlive()) {
				readings.read(thread.getId(),
						(stack.length > this.maxDepth) ? Arrays.copyOf(stack, this.maxDepth) : stack);
			}
		}
		return Stops.NONE;
	}

}
