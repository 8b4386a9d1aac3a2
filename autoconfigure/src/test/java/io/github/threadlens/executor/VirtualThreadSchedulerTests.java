package io.github.threadlens.executor;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The virtual thread scheduler read from its MXBean on JDK 24+, with a real virtual thread
 * mounted; absent, without error, before.
 */
class VirtualThreadSchedulerTests {

	@Test
	@EnabledForJreRange(max = JRE.JAVA_23)
	void absentBeforeJdk24() {
		assertThat(VirtualThreadScheduler.ofThisJvm()).isNull();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_24)
	void gaugesFollowTheScheduler() throws Exception {
		ObservedMeters meters = VirtualThreadScheduler.ofThisJvm().meters();
		AtomicBoolean spin = new AtomicBoolean(true);
		CountDownLatch mounted = new CountDownLatch(1);
		Thread virtual = startVirtualThread(() -> {
			mounted.countDown();
			while (spin.get()) {
				Thread.onSpinWait();
			}
		});
		try {
			assertThat(mounted.await(30, TimeUnit.SECONDS)).isTrue();
			assertThat(value(meters, ThreadLensMeters.VIRTUAL_PARALLELISM, List.of()))
				.isEqualTo(Runtime.getRuntime().availableProcessors());
			assertThat(value(meters, ThreadLensMeters.VIRTUAL_POOL_SIZE, List.of())).isGreaterThanOrEqualTo(1);
			assertThat(value(meters, ThreadLensMeters.VIRTUAL_LIVE, List.of("mounted"))).isGreaterThanOrEqualTo(1);
			assertThat(value(meters, ThreadLensMeters.VIRTUAL_LIVE, List.of("queued"))).isGreaterThanOrEqualTo(0);
		}
		finally {
			spin.set(false);
			virtual.join(30_000);
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
