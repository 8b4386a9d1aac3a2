package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.MaxAgeCache;
import org.jspecify.annotations.Nullable;

/**
 * Finds deadlocked threads for the {@code jvm.threads.deadlocked} gauges (Micrometer's
 * {@code JvmThreadDeadlockMetrics} names) and the health indicator, without stopping the
 * application: the JVM's own detection ({@code findDeadlockedThreads}) is a global safepoint
 * that grows with the number of threads (tens of milliseconds at 10,000), so cycles are found
 * instead in the graph of lock owners that a read without stacks gives ({@link LockSnapshots},
 * the blocking sampler's latest read while it is recent). A cycle is reported only when a second
 * read of its threads shows it again, so that locks changing hands during the first read
 * cannot make one up; a real deadlock never changes.
 * <p>
 * A result is reused while younger than the maximum age, so a scrape and a health check
 * arriving together need one. Where reading threads fails altogether, the gauges are absent and
 * the failure is logged once.
 */
public final class DeadlockDetector {

	private final LockSnapshots snapshots;

	private final long maxAgeNanos;

	private final CollectorFailures failures;

	private final MaxAgeCache<@Nullable Deadlocks> detections;

	// Only used by the cache's takings, which never overlap.
	private boolean failed;

	/**
	 * Create a detector.
	 * @param snapshots reads of threads' locks, shared with the blocking sampler
	 * @param maxAge how long a detection, and a read of the threads it uses, is reused
	 * @param nanoTime a monotonic nanosecond ticker
	 * @param failures where a failed detection is counted
	 */
	public DeadlockDetector(LockSnapshots snapshots, Duration maxAge, LongSupplier nanoTime,
			CollectorFailures failures) {
		this.snapshots = snapshots;
		this.maxAgeNanos = maxAge.toNanos();
		this.failures = failures;
		this.detections = new MaxAgeCache<>(maxAge, nanoTime, this::detect);
	}

	/**
	 * The deadlocks now, or as found less than the maximum age ago.
	 * @return the deadlocks, or {@code null} when threads cannot be read
	 */
	public @Nullable Deadlocks current() {
		return this.detections.get();
	}

	/**
	 * The deadlock family: both gauges, absent where detection is not possible.
	 * @return the family
	 */
	public ObservedMeters meters() {
		return new ObservedMeters("deadlocks", true,
				List.of(new ObservedMeter(ThreadLensMeters.THREADS_DEADLOCKED, () -> rows(false)),
						new ObservedMeter(ThreadLensMeters.THREADS_DEADLOCKED_MONITOR, () -> rows(true))));
	}

	private Rows rows(boolean monitorsOnly) {
		Deadlocks deadlocks = current();
		if (deadlocks == null) {
			return Rows.empty();
		}
		return Rows.of(monitorsOnly ? deadlocks.monitorDeadlocked() : deadlocks.deadlocked());
	}

	private @Nullable Deadlocks detect() {
		if (this.failed) {
			return null;
		}
		try {
			List<List<ThreadInfo>> candidates = LockCycles.find(this.snapshots.recent(this.maxAgeNanos));
			if (candidates.isEmpty()) {
				return new Deadlocks(0, 0, List.of());
			}
			long[] ids = candidates.stream().flatMap(List::stream).mapToLong(ThreadInfo::getThreadId).toArray();
			List<List<ThreadInfo>> cycles = LockCycles.find(this.snapshots.reread(ids));
			List<Deadlocks.DeadlockedThread> threads = new ArrayList<>();
			int monitorDeadlocked = 0;
			for (List<ThreadInfo> cycle : cycles) {
				if (cycle.stream().allMatch((info) -> info.getThreadState() == Thread.State.BLOCKED)) {
					monitorDeadlocked += cycle.size();
				}
				cycle.forEach((info) -> threads.add(new Deadlocks.DeadlockedThread(info.getThreadName(),
						info.getThreadId(), info.getThreadState().name(), info.getLockName(), info.getLockOwnerName(),
						info.getLockOwnerId())));
			}
			return new Deadlocks(threads.size(), monitorDeadlocked, threads);
		}
		catch (RuntimeException ex) {
			// SecurityException and the like: nothing will change that.
			this.failed = true;
			this.failures.failed("deadlocks",
					"Threads cannot be read in this JVM; jvm.threads.deadlocked is not published", ex);
			return null;
		}
	}

}
