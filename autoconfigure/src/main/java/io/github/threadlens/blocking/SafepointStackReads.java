package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Stack reads by {@code ThreadMXBean.getThreadInfo(ids, maxDepth)}, a global safepoint whose
 * length grows with the slice of threads read and with the threads alive. Each slice is sized
 * from the last one's time per thread so that it stops the application for at most the pause
 * budget, and slices are spaced out so that the application runs at least nine times as long
 * as the reads stop it.
 * <p>
 * A stop has a fixed cost, reaching the safepoint, that grows with the threads alive (about a
 * millisecond at 10,000 threads, four at 30,000, on JDK 17) and that no smaller slice can cut.
 * When a slice of the smallest size takes longer than the budget (the time the read took, which
 * bounds the stop from above), the next passes read no stacks: one pass, then twice as many
 * after each slice that exceeds it again, up to {@value #MAX_PASSES_WITHOUT_READS}, or until
 * fewer than three quarters as many threads are alive. At a thread count whose fixed cost
 * exceeds the budget, the budget is exceeded by one slice per that many passes, not by every
 * pass.
 */
final class SafepointStackReads implements StackReads {

	private static final Log logger = LogFactory.getLog(SafepointStackReads.class);

	private static final int FIRST_SLICE = 64;

	// Below this, slices only multiply the stops, each paying the fixed cost.
	private static final int MIN_SLICE = 64;

	private static final int MAX_SLICE = 2048;

	private static final int MAX_PASSES_WITHOUT_READS = 256;

	private final ThreadMXBean threads;

	private final int maxDepth;

	private final long maxPauseNanos;

	private final LongSupplier nanoTime;

	private int sliceSize = FIRST_SLICE;

	// The live threads at which a smallest slice last exceeded the budget; 0 while none has.
	private int overBudgetAt;

	private int passesWithoutReads;

	private int passesLeftWithoutReads;

	SafepointStackReads(ThreadMXBean threads, int maxDepth, long maxPauseNanos, LongSupplier nanoTime) {
		this.threads = threads;
		this.maxDepth = maxDepth;
		this.maxPauseNanos = maxPauseNanos;
		this.nanoTime = nanoTime;
	}

	@Override
	public Stops read(List<Thread> toRead, int liveThreads, long budgetNanos, Readings readings) {
		if (this.passesLeftWithoutReads > 0) {
			if (liveThreads >= this.overBudgetAt * 3L / 4) {
				this.passesLeftWithoutReads--;
				return Stops.NONE;
			}
			this.passesLeftWithoutReads = 0;
			this.passesWithoutReads = 0;
		}
		long longest = 0;
		long total = 0;
		boolean exceeded = false;
		int from = 0;
		long last = 0;
		while (from < toRead.size() && total < budgetNanos) {
			if (from > 0 && !pauseBetweenSlices(last)) {
				// Closed meanwhile: the threads not read yet are left out of this pass.
				break;
			}
			List<Thread> slice = toRead.subList(from, Math.min(toRead.size(), from + this.sliceSize));
			from += slice.size();
			long begun = this.nanoTime.getAsLong();
			ThreadInfo[] read = this.threads.getThreadInfo(slice.stream().mapToLong(Thread::getId).toArray(),
					this.maxDepth);
			long stopped = this.nanoTime.getAsLong() - begun;
			last = stopped;
			longest = Math.max(longest, stopped);
			total += stopped;
			for (ThreadInfo info : read) {
				if (info != null) {
					readings.read(info.getThreadId(), info.getStackTrace());
				}
			}
			if (stopped > this.maxPauseNanos && slice.size() <= MIN_SLICE) {
				backOff(liveThreads, slice.size(), stopped);
				exceeded = true;
				break;
			}
			this.sliceSize = nextSliceSize(slice.size(), stopped);
		}
		if (!exceeded && from > 0) {
			this.passesWithoutReads = 0;
		}
		return new Stops(longest, total);
	}

	private void backOff(int liveThreads, int sliceSize, long stoppedNanos) {
		if (this.overBudgetAt == 0) {
			logger.warn("Reading the stacks of " + sliceSize + " threads took " + TimeUnit.NANOSECONDS.toMicros(stoppedNanos)
					+ " us with " + liveThreads + " threads alive, longer than threadlens.sampling.max-pause: on "
					+ "this JDK every stack read stops the application (a global safepoint), so the blocking sampler "
					+ "skips stack reads for a growing number of passes while this lasts (on JDK "
					+ HANDSHAKE_FEATURE_VERSION + "+ it reads stacks without stopping the application)");
		}
		this.overBudgetAt = liveThreads;
		this.passesWithoutReads = Math.min(MAX_PASSES_WITHOUT_READS, Math.max(1, 2 * this.passesWithoutReads));
		this.passesLeftWithoutReads = this.passesWithoutReads;
	}

	/**
	 * A slice that would stop the application for three quarters of the pause budget at the
	 * last slice's time per thread, so that a slower next slice still stays within it; at
	 * most twice the last one, so that one fast slice of short stacks cannot make the next one
	 * long, and at least half of it, so that one slice slowed by something else (a collection)
	 * does not shrink the next ones to a few threads, each stop paying the safepoint's fixed cost.
	 */
	private int nextSliceSize(int size, long stoppedNanos) {
		long perThread = Math.max(1, stoppedNanos / size);
		long fits = (this.maxPauseNanos * 3 / 4) / perThread;
		long bounded = Math.max(size / 2, Math.min(2L * size, fits));
		return (int) Math.max(MIN_SLICE, Math.min(MAX_SLICE, bounded));
	}

	/**
	 * Let the application run between two stack reads, nine times as long as the last one
	 * stopped it.
	 * @return whether to go on, {@code false} when the sampler was interrupted (closed)
	 */
	private boolean pauseBetweenSlices(long lastStopNanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(Math.max(TimeUnit.MILLISECONDS.toNanos(1), 9 * lastStopNanos));
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
