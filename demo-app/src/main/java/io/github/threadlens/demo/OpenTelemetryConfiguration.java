package io.github.threadlens.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.resources.Resource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An OpenTelemetry SDK whose meter provider is read by OpenTelemetry's own Prometheus
 * exporter on a second port ({@code demo.otel.prometheus.port}, 9464 by default), so that
 * the same ThreadLens catalog can be compared through both paths: Micrometer at
 * {@code /actuator/prometheus} and OpenTelemetry at the exporter's {@code /metrics}.
 * <p>
 * Spring Boot has no meter provider of its own, so an application that wants OpenTelemetry
 * metrics brings one; ThreadLens publishes its catalog on any {@code OpenTelemetry} bean.
 * The exporter cannot report the port it chose, so port 0 is not supported: tests pass a
 * free port they picked.
 */
@Configuration(proxyBeanMethods = false)
final class OpenTelemetryConfiguration {

	/**
	 * The SDK, closed with the context: that shuts the meter provider down, which stops the
	 * exporter's HTTP server.
	 * @param applicationName the {@code service.name} of the resource
	 * @param host the exporter's bind address
	 * @param port the exporter's port
	 * @return the SDK
	 */
	@Bean(destroyMethod = "close")
	OpenTelemetrySdk openTelemetry(@Value("${spring.application.name}") String applicationName,
			@Value("${demo.otel.prometheus.host}") String host,
			@Value("${demo.otel.prometheus.port}") int port) {
		Resource resource = Resource.getDefault()
			.merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), applicationName)));
		SdkMeterProviderBuilder meterProvider = SdkMeterProvider.builder()
			.setResource(resource)
			.registerMetricReader(PrometheusHttpServer.builder().setHost(host).setPort(port).build());
		// Views (e.g. cardinality limits) are registered on this builder, before build().
		return OpenTelemetrySdk.builder().setMeterProvider(meterProvider.build()).build();
	}

}
