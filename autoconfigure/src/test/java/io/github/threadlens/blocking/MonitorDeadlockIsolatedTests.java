package io.github.threadlens.blocking;

import java.util.List;
import java.util.concurrent.CountDownLatch;

import io.github.threadlens.actuate.DeadlockHealthIndicator;
import io.github.threadlens.autoconfigure.ThreadLensBlockingAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensHealthAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensMicrometerAutoConfiguration;
import io.github.threadlens.testsupport.RealThreads;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two threads deadlocked on {@code synchronized}: no interrupt can free them, so this class
 * runs in a JVM of its own (a separate Surefire execution) and leaves them there.
 */
class MonitorDeadlockIsolatedTests {

	@Test
	void monitorDeadlockShowsInTheGaugesAndTurnsHealthDown() throws Exception {
		Object first = new Object();
		Object second = new Object();
		CountDownLatch bothHold = new CountDownLatch(2);
		Thread a = start("monitor-deadlock-a", first, second, bothHold);
		Thread b = start("monitor-deadlock-b", second, first, bothHold);
		RealThreads.awaitState(List.of(a, b), Thread.State.BLOCKED);

		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
					SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
					ThreadLensCensusAutoConfiguration.class, ThreadLensBlockingAutoConfiguration.class,
					ThreadLensMicrometerAutoConfiguration.class, ThreadLensHealthAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("jvm.threads.deadlocked").gauge().value()).isEqualTo(2);
				assertThat(registry.get("jvm.threads.deadlocked.monitor").gauge().value()).isEqualTo(2);
				Health health = context.getBean(DeadlockHealthIndicator.class).health(true);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("monitorDeadlocked", 2);
				@SuppressWarnings("unchecked")
				List<Deadlocks.DeadlockedThread> threads = (List<Deadlocks.DeadlockedThread>) health.getDetails()
					.get("threads");
				assertThat(threads).extracting(Deadlocks.DeadlockedThread::lockOwner)
					.containsExactlyInAnyOrder("monitor-deadlock-a", "monitor-deadlock-b");
				assertThat(threads).extracting(Deadlocks.DeadlockedThread::state).containsOnly("BLOCKED");
			});
	}

	private static Thread start(String name, Object first, Object second, CountDownLatch bothHold) {
		Thread thread = new Thread(() -> {
			synchronized (first) {
				bothHold.countDown();
				try {
					bothHold.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				synchronized (second) {
					// Never reached.
				}
			}
		}, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

}
