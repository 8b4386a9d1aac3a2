package io.github.threadlens.census;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The {@code jvm.threads.*} catalog entries bound to the census (and to the MXBean for the
 * counters only the JVM keeps).
 */
public final class CensusMeters {

	private CensusMeters() {
	}

	/**
	 * The census family.
	 * @param census the census
	 * @return its meters
	 */
	public static ObservedMeters of(ThreadCensus census) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		return new ObservedMeters("census", true,
				List.of(new ObservedMeter(ThreadLensMeters.THREADS_LIVE, () -> Rows.of(census.snapshot().live())),
						new ObservedMeter(ThreadLensMeters.THREADS_DAEMON,
								() -> Rows.of(census.snapshot().daemon())),
						new ObservedMeter(ThreadLensMeters.THREADS_PEAK, () -> Rows.of(threads.getPeakThreadCount())),
						new ObservedMeter(ThreadLensMeters.THREADS_STARTED,
								() -> Rows.of(threads.getTotalStartedThreadCount())),
						new ObservedMeter(ThreadLensMeters.THREADS_STATES, () -> states(census.snapshot())),
						new ObservedMeter(ThreadLensMeters.THREAD_COUNT, () -> daemonStates(census.snapshot()))));
	}

	private static Rows states(CensusSnapshot snapshot) {
		Rows.Builder rows = Rows.builder();
		for (Thread.State state : Thread.State.values()) {
			rows.add(snapshot.count(state), ThreadStateNames.tagValue(state));
		}
		return rows.build();
	}

	private static Rows daemonStates(CensusSnapshot snapshot) {
		Rows.Builder rows = Rows.builder();
		for (boolean daemon : new boolean[] { true, false }) {
			for (Thread.State state : Thread.State.values()) {
				rows.add(snapshot.count(daemon, state), String.valueOf(daemon), ThreadStateNames.tagValue(state));
			}
		}
		return rows.build();
	}

}
