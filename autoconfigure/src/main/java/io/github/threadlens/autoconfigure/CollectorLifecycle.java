package io.github.threadlens.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * Starts a background collector (its thread, its recording or the JVM-wide switch it holds)
 * when the context starts and stops it when the context stops, rather than when its bean is
 * created: a collector bean a user supplies is started too, and the order is the lifecycle's.
 * Collectors run in phase {@link #PHASE}: they start before the web server takes requests and
 * stop after it has stopped taking them, so the requests of a graceful shutdown are observed.
 */
public final class CollectorLifecycle implements SmartLifecycle {

	/** The phase of every ThreadLens collector: below the web server's. */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final Runnable start;

	private final Runnable stop;

	private volatile boolean running;

	/**
	 * Create the lifecycle of one collector.
	 * @param start what starts it; may run again after {@code stop}
	 * @param stop what stops it
	 */
	public CollectorLifecycle(Runnable start, Runnable stop) {
		this.start = start;
		this.stop = stop;
	}

	@Override
	public void start() {
		this.start.run();
		this.running = true;
	}

	@Override
	public void stop() {
		this.stop.run();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
