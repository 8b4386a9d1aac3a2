package io.github.threadlens.autoconfigure;

import io.github.threadlens.catalog.ExemplarContext;
import io.github.threadlens.export.tracing.MicrometerTracingExemplarContext;
import io.github.threadlens.export.tracing.OpenTelemetryExemplarContext;
import io.micrometer.tracing.Tracer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for exemplars on the executor timers:
 * the {@link ExemplarContext} that carries a task's submitter's trace to where its queue wait
 * and run time are recorded. Micrometer Tracing is preferred where it is set up, since
 * Prometheus exemplars read its tracer; otherwise the OpenTelemetry context, where
 * ThreadLens publishes to OpenTelemetry.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensOpenTelemetryAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
		"org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
public final class ThreadLensExemplarsAutoConfiguration {

	// Ordered first: where both apply, Micrometer Tracing is the one Prometheus exemplars read.
	@Configuration(proxyBeanMethods = false)
	@Order(0)
	@ConditionalOnClass(Tracer.class)
	@ConditionalOnBean(Tracer.class)
	static class MicrometerTracingConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ExemplarContext threadLensExemplarContext(Tracer tracer) {
			return new MicrometerTracingExemplarContext(tracer);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@Order(1)
	@ConditionalOnClass(name = "io.opentelemetry.context.Context")
	@ConditionalOnBooleanProperty(name = "threadlens.export.otel.enabled", matchIfMissing = true)
	@Conditional(ThreadLensOpenTelemetryAutoConfiguration.OpenTelemetryAvailableCondition.class)
	static class OpenTelemetryConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ExemplarContext threadLensExemplarContext() {
			return new OpenTelemetryExemplarContext();
		}

	}

}
