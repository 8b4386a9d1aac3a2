package io.github.threadlens.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * A real deadlock on demand: two threads each holding the lock the other wants. Locks
 * rather than {@code synchronized}, so that it can be broken again by interrupting them;
 * health goes DOWN while it lasts.
 */
@Component
public class DeadlockScenario implements DisposableBean {

	private final List<Thread> threads = new ArrayList<>();

	/**
	 * Deadlock two new threads, {@code deadlock-a} and {@code deadlock-b}.
	 * @return whether a new deadlock was made; false when one is already in place
	 */
	public synchronized boolean start() {
		if (!this.threads.isEmpty()) {
			return false;
		}
		ReentrantLock first = new ReentrantLock();
		ReentrantLock second = new ReentrantLock();
		CountDownLatch bothHold = new CountDownLatch(2);
		this.threads.add(start("deadlock-a", first, second, bothHold));
		this.threads.add(start("deadlock-b", second, first, bothHold));
		return true;
	}

	/**
	 * Break the deadlock.
	 * @return whether there was one
	 */
	public synchronized boolean stop() throws InterruptedException {
		if (this.threads.isEmpty()) {
			return false;
		}
		this.threads.forEach(Thread::interrupt);
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		this.threads.clear();
		return true;
	}

	@Override
	public void destroy() throws InterruptedException {
		stop();
	}

	private static Thread start(String name, ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
		Thread thread = new Thread(() -> {
			first.lock();
			try {
				bothHold.countDown();
				bothHold.await();
				second.lockInterruptibly();
				second.unlock();
			}
			catch (InterruptedException ex) {
				// Broken on purpose.
			}
			finally {
				first.unlock();
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
