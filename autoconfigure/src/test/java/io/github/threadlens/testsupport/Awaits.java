package io.github.threadlens.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Waiting for what other threads do, without asserting how long it takes: every wait gives
 * up after 30 s and then asserts, so a slow machine is never a failure and a wrong value is.
 */
public final class Awaits {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	private Awaits() {
	}

	/**
	 * Block until a latch opens, for a task that holds its worker until a test releases it;
	 * an interrupt (the pool shutting down) ends the wait.
	 * @param latch the latch
	 */
	public static void hold(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Wait until a growing count reaches a value, then assert it is exactly that value.
	 * @param count the count
	 * @param expected the value
	 * @throws InterruptedException if interrupted
	 */
	public static void count(DoubleSupplier count, double expected) throws InterruptedException {
		waitFor(count, expected);
		assertThat(count.getAsDouble()).isEqualTo(expected);
	}

	/**
	 * Wait until a growing count reaches at least a value.
	 * @param count the count
	 * @param expected the least value
	 * @throws InterruptedException if interrupted
	 */
	public static void atLeast(DoubleSupplier count, double expected) throws InterruptedException {
		waitFor(count, expected);
		assertThat(count.getAsDouble()).isGreaterThanOrEqualTo(expected);
	}

	/**
	 * Read until a reading satisfies a condition, for values that settle (such as what a
	 * server serves after its next scrape); the caller asserts on the returned reading, so
	 * a reading that never settles fails with what it last was.
	 * @param <T> the reading's type
	 * @param read takes one reading, e.g. over HTTP
	 * @param done whether a reading is the one waited for
	 * @return the first reading that satisfies the condition, else the last one taken
	 * @throws Exception if a reading fails
	 */
	public static <T> T until(Callable<T> read, Predicate<? super T> done) throws Exception {
		return until(read, done, PATIENCE);
	}

	/**
	 * Read until a reading satisfies a condition, or for as long as the given patience, for
	 * values that take longer to settle than a single server's (such as several JVMs starting
	 * on shared cores).
	 * @param <T> the reading's type
	 * @param read takes one reading, e.g. over HTTP
	 * @param done whether a reading is the one waited for
	 * @param patience how long to keep reading
	 * @return the first reading that satisfies the condition, else the last one taken
	 * @throws Exception if a reading fails
	 */
	public static <T> T until(Callable<T> read, Predicate<? super T> done, Duration patience) throws Exception {
		long deadline = System.nanoTime() + patience.toNanos();
		T reading = read.call();
		while (!done.test(reading) && System.nanoTime() < deadline) {
			Thread.sleep(100);
			reading = read.call();
		}
		return reading;
	}

	private static void waitFor(DoubleSupplier count, double expected) throws InterruptedException {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (count.getAsDouble() < expected && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
	}

}
