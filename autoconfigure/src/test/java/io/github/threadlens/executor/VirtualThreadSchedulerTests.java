package io.github.threadlens.executor;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.testsupport.Jdk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The virtual thread scheduler read from its MXBean on JDK 24+, with real virtual threads
 * mounted and queued; absent, without error, before.
 */
class VirtualThreadSchedulerTests {

	@Test
	void readFromJdk24OnAndAbsentBefore() {
		// One test for every JDK, so that none skips it: JDK 17 checks the absence, JDK 25 the presence.
		assertThat(VirtualThreadScheduler.ofThisJvm() != null).isEqualTo(Runtime.version().feature() >= 24);
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_24, disabledReason = Jdk.NEEDS_24)
	void gaugesFollowTheScheduler() throws Exception {
		ObservedMeters meters = VirtualThreadScheduler.ofThisJvm().meters();
		int parallelism = Runtime.getRuntime().availableProcessors();
		// One more than there are carriers: a virtual thread that spins is never unmounted, so the
		// last must queue, unless the scheduler added a carrier. Other virtual threads of this JVM
		// only add to either count.
		int spinners = parallelism + 1;
		AtomicBoolean spin = new AtomicBoolean(true);
		CountDownLatch carriersTaken = new CountDownLatch(parallelism);
		List<Thread> threads = new ArrayList<>();
		try {
			for (int i = 0; i < spinners; i++) {
				threads.add(startVirtualThread(() -> {
					carriersTaken.countDown();
					while (spin.get()) {
						Thread.onSpinWait();
					}
				}));
			}
			assertThat(carriersTaken.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(value(meters, ThreadLensMeters.VIRTUAL_PARALLELISM, List.of())).isEqualTo(parallelism);
			assertThat(value(meters, ThreadLensMeters.VIRTUAL_POOL_SIZE, List.of())).isGreaterThanOrEqualTo(parallelism);
			double mounted = value(meters, ThreadLensMeters.VIRTUAL_LIVE, List.of("mounted"));
			double queued = value(meters, ThreadLensMeters.VIRTUAL_LIVE, List.of("queued"));
			assertThat(mounted).isGreaterThanOrEqualTo(parallelism);
			assertThat(mounted + queued).as("every spinning virtual thread is mounted or queued")
				.isGreaterThanOrEqualTo(spinners);
		}
		finally {
			spin.set(false);
			for (Thread thread : threads) {
				thread.join(30_000);
			}
		}
	}

	private static double value(ObservedMeters meters, Object definition, List<String> tags) {
		return meters.meters()
			.stream()
			.filter((meter) -> meter.definition().equals(definition))
			.map(ObservedMeter::source)
			.findFirst()
			.orElseThrow()
			.get()
			.get(tags);
	}

	// Compiled for JDK 17: Thread.startVirtualThread is looked up at run time.
	private static Thread startVirtualThread(Runnable task) throws ReflectiveOperationException {
		Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
		return (Thread) start.invoke(null, task);
	}

}
