package io.github.threadlens.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Real platform threads parked in the state a test claims, named {@code <pool>-<n>}, and
 * stopped on {@link #close()}. States are reached the way production threads reach them:
 * RUNNABLE by a socket read that never gets an answer (no CPU spent), BLOCKED on a monitor
 * another thread holds, WAITING on a latch, TIMED_WAITING in a timed latch wait.
 */
public final class RealThreads implements AutoCloseable {

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<Thread> threads = new ArrayList<>();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private ServerSocket silentServer;

	/**
	 * Start threads named {@code pool-1..count} in a state and wait until they are in it.
	 * @param pool the name prefix
	 * @param count how many
	 * @param state RUNNABLE, BLOCKED, WAITING or TIMED_WAITING
	 * @return the threads
	 */
	public List<Thread> start(String pool, int count, Thread.State state) {
		return start(count, (i) -> pool + "-" + i, state);
	}

	/**
	 * Start threads with names from a function in a state and wait until they are in it.
	 * @param count how many
	 * @param names the name of the i-th thread, from 1
	 * @param state RUNNABLE, BLOCKED, WAITING or TIMED_WAITING
	 * @return the threads
	 */
	public List<Thread> start(int count, Function<Integer, String> names, Thread.State state) {
		Object monitor = new Object();
		if (state == Thread.State.BLOCKED) {
			holdMonitor(monitor);
		}
		List<Thread> started = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			Thread thread = new Thread(body(state, monitor), names.apply(i));
			thread.setDaemon(true);
			thread.start();
			started.add(thread);
		}
		synchronized (this.threads) {
			this.threads.addAll(started);
		}
		awaitState(started, state);
		return started;
	}

	private Runnable body(Thread.State state, Object monitor) {
		return switch (state) {
			case RUNNABLE -> this::readSilence;
			case BLOCKED -> () -> {
				synchronized (monitor) {
					// Entered only after release: the holder keeps the monitor until then.
				}
			};
			case WAITING -> this::awaitRelease;
			case TIMED_WAITING -> () -> {
				try {
					this.release.await(1, TimeUnit.HOURS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			};
			default -> throw new IllegalArgumentException("A live thread cannot be held in state " + state);
		};
	}

	private void holdMonitor(Object monitor) {
		CountDownLatch held = new CountDownLatch(1);
		Thread holder = new Thread(() -> {
			synchronized (monitor) {
				held.countDown();
				awaitRelease();
			}
		}, "monitor-holder");
		holder.setDaemon(true);
		holder.start();
		synchronized (this.threads) {
			this.threads.add(holder);
		}
		try {
			held.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitRelease() {
		try {
			this.release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void readSilence() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), silentServer().getLocalPort())) {
			synchronized (this.resources) {
				this.resources.add(socket);
			}
			InputStream input = socket.getInputStream();
			while (input.read() != -1) {
				// The server never writes: the read only ends when the socket is closed.
			}
		}
		catch (IOException ex) {
			// Closed by close(): the thread ends.
		}
	}

	private ServerSocket silentServer() {
		synchronized (this.resources) {
			if (this.silentServer == null) {
				try {
					this.silentServer = new ServerSocket(0, 20000, InetAddress.getLoopbackAddress());
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				this.resources.add(this.silentServer);
				Thread acceptor = new Thread(this::acceptForever, "silent-acceptor");
				acceptor.setDaemon(true);
				acceptor.start();
			}
			return this.silentServer;
		}
	}

	private void acceptForever() {
		try {
			while (true) {
				Socket accepted = this.silentServer.accept();
				synchronized (this.resources) {
					this.resources.add(accepted);
				}
			}
		}
		catch (IOException ex) {
			// Server closed.
		}
	}

	/**
	 * Wait until every thread is in the state, failing after a generous bound.
	 * @param threads the threads
	 * @param state the state
	 */
	public static void awaitState(List<Thread> threads, Thread.State state) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		for (Thread thread : threads) {
			// A RUNNABLE thread is only in its socket read once a native frame is on top.
			while (thread.getState() != state || (state == Thread.State.RUNNABLE && !inNativeCode(thread))) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException(thread.getName() + " is " + thread.getState() + ", not " + state);
				}
				Thread.onSpinWait();
				Thread.yield();
			}
		}
	}

	private static boolean inNativeCode(Thread thread) {
		StackTraceElement[] stack = thread.getStackTrace();
		return stack.length > 0 && stack[0].isNativeMethod();
	}

	@Override
	public void close() throws Exception {
		this.release.countDown();
		synchronized (this.resources) {
			for (AutoCloseable resource : this.resources) {
				resource.close();
			}
		}
		List<Thread> all;
		synchronized (this.threads) {
			all = new ArrayList<>(this.threads);
		}
		for (Thread thread : all) {
			thread.join(TimeUnit.SECONDS.toMillis(30));
		}
	}

}
