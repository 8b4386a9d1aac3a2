package io.github.threadlens.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Owns every scenario thread: starts them in a requested state, waits until they are really
 * in it, and stops them on request or when the context closes.
 */
@Component
public class ScenarioThreads implements DisposableBean {

	/** More would only exhaust the machine, not show anything new. */
	static final int MAX_THREADS = 20_000;

	static final int MAX_PER_REQUEST = 10_000;

	private static final Pattern POOL_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	private final Map<String, List<Batch>> pools = new LinkedHashMap<>();

	private SilentServer silentServer;

	private int total;

	/**
	 * Start threads named {@code pool-N}, numbering on from the pool's existing threads.
	 * @param pool the pool name
	 * @param count how many threads
	 * @param state the state to hold them in
	 * @return the pool afterwards
	 * @throws IllegalArgumentException for a bad parameter, naming it
	 */
	public synchronized PoolSummary start(String pool, int count, ScenarioState state) {
		if (!POOL_NAME.matcher(pool).matches()) {
			throw new IllegalArgumentException(
					"Parameter 'pool' must be 1 to 64 letters, digits, '.', '_' or '-', was '" + pool + "'");
		}
		if (count < 1 || count > MAX_PER_REQUEST) {
			throw new IllegalArgumentException(
					"Parameter 'count' must be between 1 and " + MAX_PER_REQUEST + ", was " + count);
		}
		if (this.total + count > MAX_THREADS) {
			throw new IllegalArgumentException("Parameter 'count' would take scenario threads to "
					+ (this.total + count) + ", above the limit of " + MAX_THREADS);
		}
		List<Batch> batches = this.pools.computeIfAbsent(pool, (name) -> new ArrayList<>());
		int first = batches.stream().mapToInt((batch) -> batch.threads.size()).sum() + 1;
		Batch batch = new Batch(state);
		batches.add(batch);
		if (state == ScenarioState.BLOCKED) {
			batch.holdMonitor(pool + "-lock-holder");
		}
		Runnable body = body(batch);
		for (int i = 0; i < count; i++) {
			batch.start(pool + "-" + (first + i), body);
		}
		batch.awaitState();
		this.total += batch.threads.size();
		return summary(pool);
	}

	/**
	 * Stop a pool's threads.
	 * @param pool the pool
	 * @return whether the pool existed
	 */
	public synchronized boolean stop(String pool) {
		List<Batch> batches = this.pools.remove(pool);
		if (batches == null) {
			return false;
		}
		batches.forEach(this::stop);
		return true;
	}

	/**
	 * Stop every scenario thread.
	 */
	public synchronized void stopAll() {
		this.pools.values().forEach((batches) -> batches.forEach(this::stop));
		this.pools.clear();
	}

	/**
	 * The scenario pools.
	 * @return a summary per pool
	 */
	public synchronized List<PoolSummary> pools() {
		return this.pools.keySet().stream().map(this::summary).toList();
	}

	@Override
	public synchronized void destroy() throws IOException {
		stopAll();
		if (this.silentServer != null) {
			this.silentServer.close();
		}
	}

	private void stop(Batch batch) {
		batch.stop();
		this.total -= batch.threads.size();
	}

	private PoolSummary summary(String pool) {
		Map<String, Integer> states = new LinkedHashMap<>();
		for (Batch batch : this.pools.get(pool)) {
			states.merge(batch.state.tagValue(), batch.threads.size(), Integer::sum);
		}
		return new PoolSummary(pool, states.values().stream().mapToInt(Integer::intValue).sum(), states);
	}

	private Runnable body(Batch batch) {
		return switch (batch.state) {
			case RUNNABLE -> {
				SilentServer server = silentServer();
				yield () -> readSilence(server, batch);
			}
			case BLOCKED -> () -> {
				synchronized (batch.monitor) {
					// Reached only once the holder lets go.
				}
			};
			case WAITING -> () -> batch.awaitRelease(false);
			case TIMED_WAITING -> () -> batch.awaitRelease(true);
		};
	}

	private static void readSilence(SilentServer server, Batch batch) {
		try (SilentServer.Connection connection = server.connect()) {
			batch.connections.add(connection);
			if (batch.release.getCount() == 0) {
				// Stopped while connecting: stop() has already closed the connections it knew.
				return;
			}
			InputStream input = connection.input();
			while (input.read() != -1) {
				// The server never writes.
			}
		}
		catch (IOException ex) {
			// Closed by stop(), or no connection could be made (no descriptor left): the
			// thread ends, and the request reports only the threads that reached their state.
		}
	}

	private SilentServer silentServer() {
		if (this.silentServer == null) {
			try {
				this.silentServer = new SilentServer();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return this.silentServer;
	}

	/**
	 * One pool's threads in one state, as started by one request.
	 *
	 * @param pool the pool
	 * @param threads its scenario threads
	 * @param states thread count per state
	 */
	public record PoolSummary(String pool, int threads, Map<String, Integer> states) {

	}

	private static final class Batch {

		private final ScenarioState state;

		private final CountDownLatch release = new CountDownLatch(1);

		private final Object monitor = new Object();

		private final List<Thread> threads = new ArrayList<>();

		private final List<SilentServer.Connection> connections = Collections.synchronizedList(new ArrayList<>());

		private Thread holder;

		Batch(ScenarioState state) {
			this.state = state;
		}

		void start(String name, Runnable body) {
			Thread thread = new Thread(body, name);
			thread.setDaemon(true);
			thread.start();
			this.threads.add(thread);
		}

		void holdMonitor(String name) {
			CountDownLatch held = new CountDownLatch(1);
			this.holder = new Thread(() -> {
				synchronized (this.monitor) {
					held.countDown();
					awaitRelease(false);
				}
			}, name);
			this.holder.setDaemon(true);
			this.holder.start();
			awaitQuietly(held);
		}

		void awaitRelease(boolean timed) {
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

		/**
		 * Wait until every thread is in the batch's state or has ended, then forget those
		 * that ended (a RUNNABLE thread whose connection failed), so that only threads that
		 * are really in the state are reported.
		 */
		void awaitState() {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			for (Thread thread : this.threads) {
				while (thread.getState() != this.state.threadState() && thread.getState() != Thread.State.TERMINATED
						&& System.nanoTime() < deadline) {
					Thread.yield();
				}
			}
			this.threads.removeIf((thread) -> thread.getState() == Thread.State.TERMINATED);
		}

		void stop() {
			this.release.countDown();
			synchronized (this.connections) {
				for (SilentServer.Connection connection : this.connections) {
					try {
						connection.close();
					}
					catch (IOException ex) {
						// Closing anyway.
					}
				}
			}
			List<Thread> all = new ArrayList<>(this.threads);
			if (this.holder != null) {
				all.add(this.holder);
			}
			for (Thread thread : all) {
				try {
					thread.join(TimeUnit.SECONDS.toMillis(10));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}

		private static void awaitQuietly(CountDownLatch latch) {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
