package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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
 * Finds deadlocked threads with the JVM's own detection, for the
 * {@code jvm.threads.deadlocked} gauges (Micrometer's {@code JvmThreadDeadlockMetrics}
 * names) and the health indicator. A result is reused while younger than the maximum age:
 * detection pauses the JVM briefly, and a scrape and a health check arriving together need
 * it once.
 * <p>
 * Where the JVM cannot detect deadlocks on ownable synchronizers, only monitor deadlocks
 * are reported; where detection fails altogether, the gauges are absent and the failure is
 * logged once.
 */
public final class DeadlockDetector {

	private final ThreadMXBean threads;

	private final CollectorFailures failures;

	private final MaxAgeCache<@Nullable Deadlocks> detections;

	// Only used by the cache's takings, which never overlap.
	private boolean failed;

	/**
	 * Create a detector.
	 * @param threads the JVM's thread MXBean
	 * @param maxAge how long a detection is reused
	 * @param nanoTime a monotonic nanosecond ticker
	 * @param failures where a failed detection is counted
	 */
	public DeadlockDetector(ThreadMXBean threads, Duration maxAge, LongSupplier nanoTime, CollectorFailures failures) {
		this.threads = threads;
		this.failures = failures;
		this.detections = new MaxAgeCache<>(maxAge, nanoTime, this::detect);
	}

	/**
	 * The deadlocks now, or as found less than the maximum age ago.
	 * @return the deadlocks, or {@code null} when the JVM cannot detect them
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
			long[] monitorIds = this.threads.findMonitorDeadlockedThreads();
			long[] allIds = this.threads.isSynchronizerUsageSupported() ? this.threads.findDeadlockedThreads()
					: monitorIds;
			return new Deadlocks(length(allIds), length(monitorIds), describe(allIds));
		}
		catch (RuntimeException ex) {
			// UnsupportedOperationException, SecurityException: nothing will change that.
			this.failed = true;
			this.failures.failed("deadlocks",
					"Deadlock detection is not available in this JVM; jvm.threads.deadlocked is not published", ex);
			return null;
		}
	}

	private List<Deadlocks.DeadlockedThread> describe(long[] ids) {
		List<Deadlocks.DeadlockedThread> described = new ArrayList<>();
		if (ids == null) {
			return described;
		}
		for (ThreadInfo info : this.threads.getThreadInfo(ids)) {
			if (info != null) {
				described.add(new Deadlocks.DeadlockedThread(info.getThreadName(), info.getThreadId(),
						info.getThreadState().name(), info.getLockName(), info.getLockOwnerName(),
						info.getLockOwnerId()));
			}
		}
		return described;
	}

	private static int length(long[] ids) {
		return (ids != null) ? ids.length : 0;
	}

}
