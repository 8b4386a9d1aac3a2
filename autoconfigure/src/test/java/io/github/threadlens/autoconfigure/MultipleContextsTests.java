package io.github.threadlens.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several application contexts in one JVM: JVM-wide meters appear once per registry, and
 * closing one context leaves the meters the others publish.
 */
class MultipleContextsTests {

	private static final SimpleMeterRegistry SHARED = new SimpleMeterRegistry();

	private final ApplicationContextRunner runner = MetricsContextRunner.create();

	@Test
	void childContextReusesTheParentsMeters() {
		this.runner.run((parent) -> {
			MeterRegistry registry = parent.getBean(MeterRegistry.class);
			assertPublishedOnce(registry);
			this.runner.withParent(parent).run((child) -> {
				assertThat(child.getBean(MeterRegistry.class)).isSameAs(registry);
				assertPublishedOnce(registry);
			});
			assertPublishedOnce(registry);
		});
	}

	@Test
	void siblingsSharingARegistryPublishOnceAndOutliveEachOther() {
		ApplicationContextRunner sharing = this.runner.withUserConfiguration(SharedRegistryConfiguration.class);
		sharing.run((first) -> {
			sharing.run((second) -> {
				assertThat(second.getBean(MeterRegistry.class)).isSameAs(SHARED);
				assertPublishedOnce(SHARED);
			});
			assertPublishedOnce(SHARED);
		});
		assertThat(SHARED.find("jvm.threads.states").gauges()).isEmpty();
		assertThat(SHARED.find("jvm.threads.pool.states").gauges()).isEmpty();
	}

	@Test
	void siblingsWithTheirOwnRegistriesDoNotTouchEachOther() {
		this.runner.run((first) -> {
			MeterRegistry firstRegistry = first.getBean(MeterRegistry.class);
			this.runner.run((second) -> {
				assertThat(second.getBean(MeterRegistry.class)).isNotSameAs(firstRegistry);
				assertPublishedOnce(second.getBean(MeterRegistry.class));
			});
			assertPublishedOnce(firstRegistry);
		});
	}

	private static void assertPublishedOnce(MeterRegistry registry) {
		assertThat(registry.find("jvm.threads.states").gauges()).hasSize(6);
		assertThat(registry.find("jvm.threads.live").gauges()).hasSize(1);
		assertThat(registry.find("threadlens.cardinality.overflow").functionCounters()).hasSize(1);
		assertThat(registry.find("jvm.threads.pool.states").tag("pool", "main").tag("state", "runnable").gauges())
			.hasSize(1);
		assertThat(registry.get("jvm.threads.live").gauge().value()).isPositive();
	}

	@Configuration(proxyBeanMethods = false)
	static class SharedRegistryConfiguration {

		@Bean
		MeterRegistry sharedRegistry() {
			return SHARED;
		}

	}

}
