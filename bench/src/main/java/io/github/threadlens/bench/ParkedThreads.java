package io.github.threadlens.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Extra platform threads for a benchmark, spread over pools the way a busy service's are:
 * most parked (WAITING), every tenth sleeping (TIMED_WAITING), named {@code bench-<pool>-<n>}.
 */
final class ParkedThreads implements AutoCloseable {

	static final int POOLS = 50;

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<Thread> threads = new ArrayList<>();

	ParkedThreads(int count) {
		for (int i = 0; i < count; i++) {
			boolean timed = i % 10 == 0;
			Thread thread = new Thread(() -> park(timed), "bench" + (i % POOLS) + "x-" + i);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}
		for (int i = 0; i < count; i++) {
			Thread.State expected = (i % 10 == 0) ? Thread.State.TIMED_WAITING : Thread.State.WAITING;
			while (this.threads.get(i).getState() != expected) {
				Thread.yield();
			}
		}
	}

	private void park(boolean timed) {
		try {
			if (timed) {
				this.release.await(1, TimeUnit.DAYS);
			}
			else {
				this.release.await();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.release.countDown();
		for (Thread thread : this.threads) {
			thread.join();
		}
	}

}
