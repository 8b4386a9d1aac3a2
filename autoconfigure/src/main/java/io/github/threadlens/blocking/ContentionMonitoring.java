package io.github.threadlens.blocking;

import java.lang.management.ThreadMXBean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The JVM's thread contention monitoring, turned on for as long as ThreadLens needs it: the
 * time a thread spends blocked or waiting is only measured while it is on. The switch is
 * JVM-wide and several application contexts may need it at once, so handles are counted
 * process-wide: the first turns it on if it was off, and closing the last turns it off again,
 * but only if ThreadLens turned it on.
 */
public final class ContentionMonitoring implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(ContentionMonitoring.class);

	private static final Object SWITCH = new Object();

	// Guarded by SWITCH: the open handles that hold the switch, and whether ThreadLens turned
	// it on.
	private static int holders;

	private static boolean turnedOnByThreadLens;

	private final ThreadMXBean threads;

	private final CollectorFailures failures;

	// Guarded by SWITCH.
	private boolean holding;

	/**
	 * Create a handle on the switch, not holding it yet.
	 * @param threads the thread MXBean
	 * @param failures where a refusal or the missing support is counted
	 */
	public ContentionMonitoring(ThreadMXBean threads, CollectorFailures failures) {
		this.threads = threads;
		this.failures = failures;
	}

	/**
	 * Turn contention monitoring on now, as {@link #start()} does.
	 * @param threads the thread MXBean
	 * @param failures where a refusal or the missing support is counted
	 * @return the handle that turns it off again
	 */
	public static ContentionMonitoring turnOn(ThreadMXBean threads, CollectorFailures failures) {
		ContentionMonitoring monitoring = new ContentionMonitoring(threads, failures);
		monitoring.start();
		return monitoring;
	}

	/**
	 * Hold the switch: turn contention monitoring on where the JVM supports it and allows it.
	 * Where it does not support it or refuses, the time meters are absent and that is counted.
	 */
	public void start() {
		try {
			if (!this.threads.isThreadContentionMonitoringSupported()) {
				this.failures.unavailable("contention-monitoring",
						"This JVM does not support thread contention monitoring: "
								+ "jvm.threads.blocked.time and jvm.threads.waited.time are not published");
				return;
			}
			synchronized (SWITCH) {
				if (this.holding) {
					return;
				}
				if (holders == 0 && !this.threads.isThreadContentionMonitoringEnabled()) {
					this.threads.setThreadContentionMonitoringEnabled(true);
					turnedOnByThreadLens = true;
				}
				holders++;
				this.holding = true;
			}
		}
		catch (SecurityException | UnsupportedOperationException ex) {
			this.failures.failed("contention-monitoring", "Thread contention monitoring cannot be turned on: "
					+ "jvm.threads.blocked.time and jvm.threads.waited.time are not published", ex);
		}
	}

	/**
	 * Let go of the switch: the last handle that holds it turns contention monitoring off
	 * again, if ThreadLens turned it on.
	 */
	@Override
	public void close() {
		synchronized (SWITCH) {
			if (!this.holding) {
				return;
			}
			this.holding = false;
			holders--;
			if (holders == 0 && turnedOnByThreadLens) {
				turnedOnByThreadLens = false;
				try {
					this.threads.setThreadContentionMonitoringEnabled(false);
				}
				catch (SecurityException | UnsupportedOperationException ex) {
					logger.debug("Thread contention monitoring could not be turned off", ex);
				}
			}
		}
	}

}
