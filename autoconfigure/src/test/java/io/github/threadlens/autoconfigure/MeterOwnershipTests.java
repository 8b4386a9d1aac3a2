package io.github.threadlens.autoconfigure;

import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.micrometer.OtherMeterBinders;
import io.github.threadlens.testsupport.Jdk;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every meter on the {@code MeterRegistry} has one owner, decided from the binders the
 * application has: what Boot binds is left to Boot, and what Boot does not bind (its
 * auto-configuration excluded) ThreadLens publishes, so that no meter vanishes.
 */
class MeterOwnershipTests {

	private final ApplicationContextRunner withBootsJvmMetrics = MetricsContextRunner.create();

	private final ApplicationContextRunner withoutBootsJvmMetrics = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
				ThreadLensExecutorAutoConfiguration.class));

	@Test
	void jvmThreadMetricsComeFromTheJvmThreadMetricsBinder() {
		this.withBootsJvmMetrics.run((context) -> {
			assertThat(context.getBean(OtherMeterBinders.class).publish(ThreadLensMeters.THREADS_LIVE)).isTrue();
			assertThat(context.getBean(MeterRegistry.class).find("jvm.threads.states").gauges()).hasSize(6);
		});
	}

	@Test
	void withNoJvmThreadMetricsBinderThreadLensPublishesTheFamily() {
		this.withoutBootsJvmMetrics.withPropertyValues("threadlens.census.replace-jvm-thread-metrics=false")
			.run((context) -> {
				assertThat(context.getBean(OtherMeterBinders.class).publish(ThreadLensMeters.THREADS_LIVE)).isFalse();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("jvm.threads.states").gauges()).hasSize(6);
				assertThat(registry.get("jvm.threads.live").gauge().value()).isPositive();
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_24, disabledReason = Jdk.NEEDS_24)
	void virtualThreadGaugesAreLeftToBootOnlyWhereBootBindsThem() {
		this.withBootsJvmMetrics.run((context) -> {
			assertThat(context.getBean(OtherMeterBinders.class).publish(ThreadLensMeters.VIRTUAL_PARALLELISM))
				.isTrue();
			assertThat(context.getBean(MeterRegistry.class).find("jvm.threads.virtual.parallelism").gauges())
				.hasSize(1);
		});
		this.withoutBootsJvmMetrics.run((context) -> {
			assertThat(context.getBean(OtherMeterBinders.class).publish(ThreadLensMeters.VIRTUAL_PARALLELISM))
				.isFalse();
			assertThat(context.getBean(MeterRegistry.class).get("jvm.threads.virtual.parallelism").gauge().value())
				.isEqualTo(Runtime.getRuntime().availableProcessors());
		});
	}

	@Test
	void springExecutorPoolsAreLeftToBootsExecutorMetricsOnlyWhereTheyRun() {
		ApplicationContextRunner tasks = this.withBootsJvmMetrics
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class));
		tasks.withConfiguration(AutoConfigurations.of(TaskExecutorMetricsAutoConfiguration.class)).run((context) -> {
			assertThat(context.getBean(OtherMeterBinders.class).publish(springPools(context))).isTrue();
			assertThat(poolSize(context.getBean(MeterRegistry.class))).isEqualTo(1);
		});
		tasks.run((context) -> {
			assertThat(context.getBean(OtherMeterBinders.class).publish(springPools(context))).isFalse();
			assertThat(poolSize(context.getBean(MeterRegistry.class))).isEqualTo(1);
		});
	}

	private static ObservedMeters springPools(ApplicationContext context) {
		return context.getBean("threadLensSpringExecutorPoolMeters", ObservedMeters.class);
	}

	private static int poolSize(MeterRegistry registry) {
		return registry.find("executor.pool.core").tag("name", "applicationTaskExecutor").gauges().size();
	}

}
