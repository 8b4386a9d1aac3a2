package io.github.threadlens.demo;

import io.github.threadlens.export.otel.ThreadLensViews;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A meter provider read by OpenTelemetry's own Prometheus exporter on a second port
 * ({@code demo.otel.prometheus.port}, 9464 by default), so that the same ThreadLens catalog
 * can be compared through both paths: Micrometer at {@code /actuator/prometheus} and
 * OpenTelemetry at the exporter's {@code /metrics}.
 * <p>
 * Spring Boot has no meter provider of its own, but builds its {@code OpenTelemetry} from
 * an {@link SdkMeterProvider} bean, beside the tracer provider it configures for
 * Micrometer Tracing: ThreadLens publishes its catalog there, and the executor histograms'
 * exemplars find the traces. The exporter cannot report a port it chose, so port 0 is not
 * supported: tests pass a free port they picked.
 */
@Configuration(proxyBeanMethods = false)
final class OpenTelemetryConfiguration {

	/**
	 * The meter provider, with ThreadLens's views so that its instruments' cardinality limits
	 * follow {@code threadlens.cardinality.*}.
	 * @param resource Boot's resource ({@code service.name} from {@code spring.application.name})
	 * @param views ThreadLens's views
	 * @param host the exporter's bind address
	 * @param port the exporter's port
	 * @return the meter provider
	 */
	// Closed by Boot's OpenTelemetrySdk, which shuts down the exporter's HTTP server with it.
	@Bean(destroyMethod = "")
	SdkMeterProvider otelMeterProvider(Resource resource, ThreadLensViews views,
			@Value("${demo.otel.prometheus.host}") String host, @Value("${demo.otel.prometheus.port}") int port) {
		return views
			.registerOn(SdkMeterProvider.builder()
				.setResource(resource)
				.registerMetricReader(PrometheusHttpServer.builder().setHost(host).setPort(port).build()))
			.build();
	}

}
