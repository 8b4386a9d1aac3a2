package io.github.threadlens.demo;

import io.github.threadlens.export.otel.ThreadLensViews;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A meter provider read by OpenTelemetry's own Prometheus reader, served on a second port
 * ({@code demo.otel.prometheus.port}, 9464 by default), so that the same ThreadLens catalog
 * can be compared through both paths: Micrometer at {@code /actuator/prometheus} and
 * OpenTelemetry at {@code /metrics} on that port.
 * <p>
 * Spring Boot has no meter provider of its own, but builds its {@code OpenTelemetry} from
 * an {@link SdkMeterProvider} bean, beside the tracer provider it configures for
 * Micrometer Tracing: ThreadLens publishes its catalog there, and the executor histograms'
 * exemplars find the traces. The server cannot report a port it chose, so port 0 is not
 * supported: tests pass a free port they picked.
 */
@Configuration(proxyBeanMethods = false)
final class OpenTelemetryConfiguration {

	/**
	 * The meter provider, with ThreadLens's views so that its instruments' cardinality limits
	 * follow {@code threadlens.cardinality.*}.
	 * @param resource Boot's resource ({@code service.name} from {@code spring.application.name})
	 * @param views ThreadLens's views
	 * @param reader the Prometheus reader
	 * @return the meter provider
	 */
	// Closed by Boot's OpenTelemetrySdk, which shuts down its readers with it.
	@Bean(destroyMethod = "")
	SdkMeterProvider otelMeterProvider(Resource resource, ThreadLensViews views, PrometheusMetricReader reader) {
		return views.registerOn(SdkMeterProvider.builder().setResource(resource).registerMetricReader(reader)).build();
	}

	// Shut down by the meter provider that reads it.
	@Bean(destroyMethod = "")
	PrometheusMetricReader otelPrometheusReader() {
		return PrometheusMetricReader.create();
	}

	@Bean
	OpenTelemetryPrometheusServer otelPrometheusServer(PrometheusMetricReader reader,
			@Value("${demo.otel.prometheus.host}") String host, @Value("${demo.otel.prometheus.port}") int port) {
		return new OpenTelemetryPrometheusServer(reader, host, port);
	}

}
