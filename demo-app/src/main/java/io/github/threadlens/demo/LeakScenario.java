package io.github.threadlens.demo;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * A thread leak: one more parked thread in pool {@code leaky-worker} at a steady pace, none
 * ever ending, until stopped or the demo's limit on scenario threads is reached. ThreadLens
 * flags the pool once it has grown by {@code threadlens.leak.min-growth} over
 * {@code threadlens.leak.window}.
 */
@Component
public class LeakScenario implements DisposableBean {

	static final String POOL = "leaky-worker";

	private final ScenarioThreads threads;

	private final ScheduledExecutorService spawner = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "leak-spawner");
		thread.setDaemon(true);
		return thread;
	});

	private ScheduledFuture<?> leaking;

	LeakScenario(ScenarioThreads threads) {
		this.threads = threads;
	}

	/**
	 * Start leaking, or change the pace of the leak under way.
	 * @param millis time between two new threads
	 * @return whether a leak was not already under way
	 */
	public synchronized boolean start(int millis) {
		if (millis < 10 || millis > 60_000) {
			throw new IllegalArgumentException("Parameter 'millis' must be between 10 and 60000, was " + millis);
		}
		boolean fresh = this.leaking == null;
		if (!fresh) {
			this.leaking.cancel(false);
		}
		this.leaking = this.spawner.scheduleAtFixedRate(this::leakOne, 0, millis, TimeUnit.MILLISECONDS);
		return fresh;
	}

	private void leakOne() {
		try {
			this.threads.start(POOL, 1, ScenarioState.WAITING);
		}
		catch (IllegalArgumentException ex) {
			// The demo's limit on scenario threads: the leak stops growing there.
		}
	}

	/**
	 * Stop leaking and end the leaked threads.
	 * @return whether a leak was under way
	 */
	public synchronized boolean stop() {
		boolean running = this.leaking != null;
		if (running) {
			this.leaking.cancel(false);
			this.leaking = null;
		}
		this.threads.stop(POOL);
		return running;
	}

	@Override
	public void destroy() {
		stop();
		this.spawner.shutdownNow();
	}

}
