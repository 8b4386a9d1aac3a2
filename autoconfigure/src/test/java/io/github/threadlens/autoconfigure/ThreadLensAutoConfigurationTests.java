package io.github.threadlens.autoconfigure;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.jvm.convention.JvmThreadMeterConventions;
import io.micrometer.core.instrument.binder.jvm.convention.otel.OpenTelemetryJvmThreadMeterConventions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadLensAutoConfigurationTests {

	private final ApplicationContextRunner runner = MetricsContextRunner.create();

	@Test
	void replacesBootsJvmThreadMetricsAndPublishesPoolStates() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(JvmThreadMetrics.class);
			assertThat(context.getBean(JvmThreadMetrics.class)).isInstanceOf(CensusJvmThreadMetrics.class);
			assertThat(context).hasSingleBean(ObservedMeterBinder.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("jvm.threads.states").tag("state", "runnable").gauge().value()).isPositive();
			assertThat(registry.get("jvm.threads.pool.states").tag("pool", "main").gauges()).isNotEmpty();
		});
	}

	@Test
	void backsOffFromAUserDefinedJvmThreadMetrics() {
		this.runner.withUserConfiguration(UserJvmThreadMetricsConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(JvmThreadMetrics.class);
			assertThat(context.getBean(JvmThreadMetrics.class)).isSameAs(context.getBean("userJvmThreadMetrics"));
			assertThat(context).hasSingleBean(ObservedMeterBinder.class);
		});
	}

	@Test
	void keepsBootsJvmThreadMetricsWhenReplacementIsOff() {
		this.runner.withPropertyValues("threadlens.census.replace-jvm-thread-metrics=false").run((context) -> {
			assertThat(context).hasSingleBean(JvmThreadMetrics.class);
			assertThat(context.getBean(JvmThreadMetrics.class)).isNotInstanceOf(CensusJvmThreadMetrics.class);
			assertThat(context).hasSingleBean(ObservedMeterBinder.class);
		});
	}

	@Test
	void honoursAJvmThreadMeterConventionsBean() {
		this.runner.withUserConfiguration(ConventionsConfiguration.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("jvm.thread.count").gauges()).hasSize(6);
			assertThat(registry.find("jvm.threads.states").gauges()).isEmpty();
		});
	}

	@Test
	void bootsMeterSwitchTurnsPoolStatesOff() {
		this.runner.withPropertyValues("management.metrics.enable.jvm.threads.pool=false").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("jvm.threads.pool.states").gauges()).isEmpty();
			assertThat(registry.find("jvm.threads.states").gauges()).hasSize(6);
		});
	}

	@Test
	void disabledRegistersNothing() {
		this.runner.withPropertyValues("threadlens.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ThreadCensus.class);
			assertThat(context).doesNotHaveBean(ObservedMeterBinder.class);
			assertThat(context.getBean(JvmThreadMetrics.class)).isNotInstanceOf(CensusJvmThreadMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find("jvm.threads.pool.states").gauges()).isEmpty();
		});
	}

	@Test
	void withoutAMeterRegistryOnlyTheCollectorsExist() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ThreadLensCensusAutoConfiguration.class,
					ThreadLensMicrometerAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(ThreadCensus.class);
				assertThat(context).doesNotHaveBean(ObservedMeterBinder.class);
				assertThat(context).doesNotHaveBean(JvmThreadMetrics.class);
			});
	}

	@Test
	void monitoredExecutorsPublishThroughTheRegistry() throws Exception {
		this.runner.run((context) -> {
			ExecutorService executor = context.getBean(ThreadLens.class)
				.monitor(Executors.newSingleThreadExecutor(), "wired");
			executor.submit(() -> "done").get();
			executor.shutdown();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("executor").tag("name", "wired").timer().count()).isEqualTo(1);
			assertThat(registry.get("executor.idle").tag("name", "wired").timer().count()).isEqualTo(1);
			assertThat(registry.get("executor.rejected").tag("name", "wired").functionCounter().count()).isZero();
		});
	}

	@Test
	void everyBeanCanBeReplaced() {
		this.runner.withUserConfiguration(UserBeansConfiguration.class).run((context) -> {
			assertThat(context.getBean(ThreadAttribution.class)).isSameAs(context.getBean("userAttribution"));
			assertThat(context.getBean(PoolNamer.class)).isSameAs(context.getBean("userNamer"));
			assertThat(context.getBean(ThreadCensus.class)).isSameAs(context.getBean("userCensus"));
			assertThat(context.getBean(CappedPoolStates.class)).isSameAs(context.getBean("userPoolStates"));
			assertThat(context.getBean(ObservedMeterBinder.class)).isSameAs(context.getBean("userObservedMeterBinder"));
			assertThat(context.getBean(ExecutorMonitors.class)).isSameAs(context.getBean("userExecutorMonitors"));
			assertThat(context.getBean(ThreadLens.class)).isSameAs(context.getBean("userThreadLens"));
		});
	}

	@Test
	void appliesNamingRulesFromProperties() {
		this.runner
			.withPropertyValues("threadlens.pools.rules[0].pattern=ma(i)n", "threadlens.pools.rules[0].name=entry-$1",
					"threadlens.census.pool-states=runnable")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("jvm.threads.pool.states").tag("pool", "entry-i").gauges()).hasSize(1);
				assertThat(registry.find("jvm.threads.pool.states").tag("pool", "main").gauges()).isEmpty();
				assertThat(registry.find("jvm.threads.pool.states").tag("state", "waiting").gauges()).isEmpty();
			});
	}

	@Test
	void appliesThePoolCapFromProperties() {
		this.runner.withPropertyValues("threadlens.cardinality.max-pools=1", "threadlens.census.pool-states=runnable")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("jvm.threads.pool.states").gauges()).hasSize(2);
				assertThat(registry.find("jvm.threads.pool.states").tag("pool", "other").gauges()).hasSize(1);
				assertThat(registry.get("threadlens.cardinality.overflow").functionCounter().count()).isPositive();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserJvmThreadMetricsConfiguration {

		@Bean
		JvmThreadMetrics userJvmThreadMetrics() {
			return new JvmThreadMetrics();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ConventionsConfiguration {

		@Bean
		JvmThreadMeterConventions otelConventions() {
			return new OpenTelemetryJvmThreadMeterConventions(Tags.empty());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeansConfiguration {

		@Bean
		ThreadAttribution userAttribution() {
			return new ThreadAttribution();
		}

		@Bean
		PoolNamer userNamer(ThreadAttribution attribution) {
			return new PoolNamer(attribution, java.util.List.of());
		}

		@Bean
		ThreadCensus userCensus(PoolNamer namer) {
			return new ThreadCensus(namer, java.time.Duration.ofSeconds(5));
		}

		@Bean
		CappedPoolStates userPoolStates(ThreadCensus census) {
			return new CappedPoolStates(census, new io.github.threadlens.cardinality.PoolCap(3),
					java.util.Set.of(Thread.State.BLOCKED));
		}

		@Bean
		ExecutorMonitors userExecutorMonitors(ThreadAttribution attribution) {
			return new ExecutorMonitors(new TimerSinks(java.util.List.of()), attribution, java.util.List.of());
		}

		@Bean
		ThreadLens userThreadLens(ExecutorMonitors monitors) {
			return new ThreadLens(monitors);
		}

		@Bean
		ObservedMeterBinder userObservedMeterBinder(CappedPoolStates states) {
			return new ObservedMeterBinder(java.util.List.of(states.meters()));
		}

	}

}
