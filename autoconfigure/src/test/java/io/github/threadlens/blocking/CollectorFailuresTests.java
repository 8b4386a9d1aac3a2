package io.github.threadlens.blocking;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM whose thread MXBean refuses (a security manager, a restricted runtime): every
 * collector that reads it fails softly, the scrape still answers, the affected families are
 * absent, and each failure is counted and logged once.
 */
@ExtendWith(OutputCaptureExtension.class)
class CollectorFailuresTests {

	private static final Set<String> REFUSED = Set.of("getThreadInfo", "setThreadContentionMonitoringEnabled");

	private final CollectorFailures failures = new CollectorFailures();

	@Test
	void refusedReadsAreCountedLoggedOnceAndTheScrapeStillAnswers(CapturedOutput output) throws Exception {
		ThreadMXBean refusing = refusing(ManagementFactory.getThreadMXBean());
		LockSnapshots snapshots = new LockSnapshots(refusing, System::nanoTime);
		BlockingSampler sampler = new BlockingSampler(refusing,
				new ThreadRoster(new PoolNamer(new ThreadAttribution(), List.of())), snapshots, () -> Set.of("main"),
				new BlockingSampler.Settings(Duration.ofSeconds(10), 0.01, Duration.ofMillis(2), 64,
						List.of(8, 16, 32)),
				System::nanoTime, this.failures);
		DeadlockDetector deadlocks = new DeadlockDetector(snapshots, Duration.ZERO, System::nanoTime, this.failures);
		boolean wasOn = ManagementFactory.getThreadMXBean().isThreadContentionMonitoringEnabled();
		try (ContentionMonitoring monitoring = ContentionMonitoring.turnOn(refusing, this.failures)) {
			sampler.sample();
			sampler.sample();
			assertThat(deadlocks.current()).isNull();
		}
		assertThat(ManagementFactory.getThreadMXBean().isThreadContentionMonitoringEnabled()).isEqualTo(wasOn);

		assertThat(this.failures.count("sampler")).isEqualTo(2);
		assertThat(this.failures.count("deadlocks")).isEqualTo(1);
		assertThat(this.failures.count("contention-monitoring")).isEqualTo(wasOn ? 0 : 1);
		assertThat(output.toString().split("Blocking sampler pass failed", -1)).as("logged once").hasSize(2);

		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		try (ObservedMeterBinder binder = new ObservedMeterBinder(
				List.of(sampler.meters(), deadlocks.meters(), this.failures.meters()))) {
			binder.bindTo(registry);
			String scrape = registry.scrape();
			assertThat(scrape).contains("threadlens_collector_failures_total{collector=\"sampler\"} 2.0")
				.contains("threadlens_collector_failures_total{collector=\"deadlocks\"} 1.0")
				.contains("threadlens_collector_failures_total{collector=\"jfr\"} 0.0")
				.doesNotContain("jvm_threads_blocking_threads{")
				.doesNotContain("jvm_threads_deadlocked_threads ");
		}
	}

	@Test
	void aJvmWithoutContentionMonitoringIsCountedAndLoggedOnce(CapturedOutput output) {
		ThreadMXBean real = ManagementFactory.getThreadMXBean();
		ThreadMXBean unsupported = (ThreadMXBean) Proxy.newProxyInstance(
				CollectorFailuresTests.class.getClassLoader(), new Class<?>[] { ThreadMXBean.class },
				(proxy, method, args) -> method.getName().equals("isThreadContentionMonitoringSupported") ? false
						: invoke(real, method, args));
		ContentionMonitoring.turnOn(unsupported, this.failures).close();
		ContentionMonitoring.turnOn(unsupported, this.failures).close();
		assertThat(this.failures.count("contention-monitoring")).isEqualTo(2);
		assertThat(output.toString().split("does not support thread contention monitoring", -1)).as("logged once")
			.hasSize(2);
	}

	private static ThreadMXBean refusing(ThreadMXBean real) {
		return (ThreadMXBean) Proxy.newProxyInstance(CollectorFailuresTests.class.getClassLoader(),
				new Class<?>[] { ThreadMXBean.class }, (proxy, method, args) -> {
					if (REFUSED.contains(method.getName())) {
						throw new SecurityException("access denied (\"java.lang.management.ManagementPermission\" \"monitor\")");
					}
					return invoke(real, method, args);
				});
	}

	private static Object invoke(ThreadMXBean real, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(real, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

}
