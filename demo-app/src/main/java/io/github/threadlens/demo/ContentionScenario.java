package io.github.threadlens.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Contention: threads of pool {@code contended-worker} take turns holding one ledger, each for
 * a while, so the others keep waiting. With {@code kind=monitor} the ledger is
 * {@code synchronized}: the scrape shows {@code jvm_threads_monitor_contention_seconds} for the
 * pool and the ledger's class, and {@code jvm_threads_blocking_threads{reason="monitor"}}. With
 * {@code kind=lock} it is a {@code ReentrantLock}: {@code jvm_threads_park_seconds} with the
 * lock's class, and {@code reason="lock"}.
 */
@Component
public class ContentionScenario implements DisposableBean {

	static final String POOL = "contended-worker";

	private final Ledger ledger = new Ledger();

	private final ReentrantLock lock = new ReentrantLock();

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean running;

	/**
	 * Start contention, replacing any under way.
	 * @param kind {@code monitor} or {@code lock}
	 * @param threads how many threads contend
	 * @param millis how long each holds the ledger
	 * @return whether contention was not already under way
	 */
	public synchronized boolean start(String kind, int threads, int millis) {
		if (!kind.equals("monitor") && !kind.equals("lock")) {
			throw new IllegalArgumentException("Parameter 'kind' must be 'monitor' or 'lock', was '" + kind + "'");
		}
		if (threads < 2 || threads > 64) {
			throw new IllegalArgumentException("Parameter 'threads' must be between 2 and 64, was " + threads);
		}
		if (millis < 1 || millis > 10_000) {
			throw new IllegalArgumentException("Parameter 'millis' must be between 1 and 10000, was " + millis);
		}
		boolean fresh = !stop();
		this.running = true;
		for (int i = 1; i <= threads; i++) {
			Thread worker = new Thread(() -> {
				while (this.running) {
					if (kind.equals("monitor")) {
						this.ledger.hold(millis);
					}
					else {
						holdLock(millis);
					}
				}
			}, POOL + "-" + i);
			worker.setDaemon(true);
			worker.start();
			this.workers.add(worker);
		}
		return fresh;
	}

	/**
	 * Stop the contending threads.
	 * @return whether contention was under way
	 */
	public synchronized boolean stop() {
		boolean wasRunning = !this.workers.isEmpty();
		this.running = false;
		for (Thread worker : this.workers) {
			worker.interrupt();
			try {
				worker.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		this.workers.clear();
		return wasRunning;
	}

	private void holdLock(int millis) {
		this.lock.lock();
		try {
			Ledger.pause(millis);
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public void destroy() {
		stop();
	}

	/**
	 * The contended monitor, a class of its own so that its name shows in the class tag.
	 */
	static final class Ledger {

		synchronized void hold(int millis) {
			pause(millis);
		}

		static void pause(int millis) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
