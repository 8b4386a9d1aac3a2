package io.github.threadlens.blocking;

import java.lang.management.ThreadMXBean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The JVM's thread contention monitoring, turned on for as long as ThreadLens needs it: the
 * time a thread spends blocked or waiting is only measured while it is on. Closing turns it
 * off again, but only if ThreadLens turned it on.
 */
public final class ContentionMonitoring implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ContentionMonitoring.class);

	private final ThreadMXBean threads;

	private final boolean turnedOn;

	private ContentionMonitoring(ThreadMXBean threads, boolean turnedOn) {
		this.threads = threads;
		this.turnedOn = turnedOn;
	}

	/**
	 * Turn contention monitoring on where the JVM supports it and allows it. Where it does not
	 * support it or refuses, the time meters are absent and that is counted.
	 * @param threads the thread MXBean
	 * @param failures where a refusal or the missing support is counted
	 * @return the handle that turns it off again
	 */
	public static ContentionMonitoring turnOn(ThreadMXBean threads, CollectorFailures failures) {
		try {
			if (!threads.isThreadContentionMonitoringSupported()) {
				failures.unavailable("contention-monitoring", "This JVM does not support thread contention monitoring: "
						+ "jvm.threads.blocked.time and jvm.threads.waited.time are not published");
				return new ContentionMonitoring(threads, false);
			}
			if (threads.isThreadContentionMonitoringEnabled()) {
				return new ContentionMonitoring(threads, false);
			}
			threads.setThreadContentionMonitoringEnabled(true);
			return new ContentionMonitoring(threads, true);
		}
		catch (SecurityException | UnsupportedOperationException ex) {
			failures.failed("contention-monitoring", "Thread contention monitoring cannot be turned on: "
					+ "jvm.threads.blocked.time and jvm.threads.waited.time are not published", ex);
			return new ContentionMonitoring(threads, false);
		}
	}

	@Override
	public void close() {
		if (this.turnedOn) {
			try {
				this.threads.setThreadContentionMonitoringEnabled(false);
			}
			catch (SecurityException | UnsupportedOperationException ex) {
				logger.debug("Thread contention monitoring could not be turned off", ex);
			}
		}
	}

}
