package io.github.threadlens.blocking;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.export.micrometer.MicrometerTimerSink;
import io.github.threadlens.testsupport.Awaits;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a JVM of its own, so that no other test's threads, streams or garbage move the heap it
 * measures. The JFR stream's memory does not grow with the number of threads ever started: 100,000
 * short-lived threads, each parking long enough for an event that names it.
 */
class JfrStreamMemoryIsolatedTests {

	private static final int THREADS = 100_000;

	private static final int BATCH = 200;

	// Without chunk boundaries the stream keeps ~300 bytes per thread: ~30 MB here.
	private static final long ALLOWED_GROWTH = 8L * 1024 * 1024;

	@Test
	void heapAfterCollectionReturnsNearItsStartAfter100000ShortLivedThreads() throws Exception {
		Growth bounded = churn(JfrContention.THREADS_PER_CHUNK);
		// The same stream without chunk boundaries, to show that this test sees the growth.
		Growth unbounded = churn(Long.MAX_VALUE);
		System.out.printf("JFR stream, %,d short-lived threads, heap after GC: %+,d bytes once started, "
				+ "%+,d bytes more after the threads; without chunk boundaries %+,d bytes more%n", THREADS,
				bounded.started(), bounded.churned(), unbounded.churned());
		assertThat(bounded.churned()).isLessThan(ALLOWED_GROWTH);
		assertThat(unbounded.churned()).isGreaterThan(2 * ALLOWED_GROWTH);
	}

	private Growth churn(long threadsPerChunk) throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		TimerSinks timers = new TimerSinks(List.of(new MicrometerTimerSink(registry)));
		long withoutStream = heapAfterCollection();
		try (JfrContention contention = new JfrContention(timers,
				new PoolNamer(new ThreadAttribution(), List.of()), 32, threadsPerChunk)) {
			contention.retain(Set.of("churn"));
			assertThat(contention.start(Duration.ofMillis(1), new CollectorFailures())).isTrue();
			startAndJoin(BATCH);
			Awaits.atLeast(() -> parks(registry), BATCH);
			long started = heapAfterCollection();
			for (int count = 0; count < THREADS; count += BATCH) {
				startAndJoin(BATCH);
			}
			// Every thread's event read, so the stream has met every thread.
			Awaits.atLeast(() -> parks(registry), THREADS + BATCH);
			return new Growth(started - withoutStream, heapAfterCollection() - started);
		}
	}

	private static double parks(SimpleMeterRegistry registry) {
		return registry.find(ThreadLensMeters.THREAD_PARK.name())
			.timers()
			.stream()
			.mapToLong(Timer::count)
			.sum();
	}

	private static void startAndJoin(int count) throws InterruptedException {
		Thread[] threads = new Thread[count];
		for (int i = 0; i < count; i++) {
			threads[i] = new Thread(() -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3)), "churn-" + i);
			threads[i].start();
		}
		for (Thread thread : threads) {
			thread.join();
		}
	}

	private static long heapAfterCollection() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Heap after collection, in bytes.
	 *
	 * @param started what starting the stream added
	 * @param churned what the short-lived threads added after that
	 */
	private record Growth(long started, long churned) {

	}

}
