package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.function.LongSupplier;

/**
 * Reads every live thread's state, the lock it waits for and that lock's owner, without its
 * stack: {@code ThreadMXBean.getThreadInfo(ids, 0)}, which the JVM answers thread by thread
 * without stopping the application (a read with frames is a global safepoint). The latest read
 * is kept, so that the blocking sampler's pass also serves deadlock detection.
 */
public final class LockSnapshots {

	private final ThreadMXBean threads;

	private final LongSupplier nanoTime;

	private volatile Snapshot latest;

	/**
	 * Create a reader.
	 * @param threads the thread MXBean
	 * @param nanoTime a monotonic nanosecond ticker
	 */
	public LockSnapshots(ThreadMXBean threads, LongSupplier nanoTime) {
		this.threads = threads;
		this.nanoTime = nanoTime;
	}

	/**
	 * Read some threads now; the read becomes the latest.
	 * @param ids the threads' ids
	 * @return their states and locks, index by index; {@code null} for a thread that ended
	 */
	ThreadInfo[] read(long[] ids) {
		ThreadInfo[] infos = this.threads.getThreadInfo(ids, 0);
		this.latest = new Snapshot(infos, this.nanoTime.getAsLong());
		return infos;
	}

	/**
	 * Every live thread as read less than a maximum age ago, or now.
	 * @param maxAgeNanos how old the latest read may be
	 * @return the threads' states and locks; {@code null} entries for threads that ended
	 */
	ThreadInfo[] recent(long maxAgeNanos) {
		Snapshot snapshot = this.latest;
		if (snapshot != null && this.nanoTime.getAsLong() - snapshot.takenAt() < maxAgeNanos) {
			return snapshot.infos();
		}
		return read(this.threads.getAllThreadIds());
	}

	/**
	 * Read some threads again, for a second look at what a snapshot showed.
	 * @param ids the threads' ids
	 * @return their states and locks now
	 */
	ThreadInfo[] reread(long[] ids) {
		return this.threads.getThreadInfo(ids, 0);
	}

	private record Snapshot(ThreadInfo[] infos, long takenAt) {

	}

}
