package io.github.threadlens.demo;

import io.github.threadlens.testsupport.FreePorts;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Loopback ports for the demo's tests. OpenTelemetry's Prometheus exporter cannot pick a free
 * port itself and report it, so every test context gets one chosen here: two cached contexts
 * (or two builds on one machine) never fight over the default 9464.
 */
final class TestPorts {

	static final String OTEL_PROMETHEUS_PORT = "demo.otel.prometheus.port";

	private TestPorts() {
	}

	/**
	 * Bind the context's OpenTelemetry Prometheus exporter to loopback on a free port, read
	 * back with {@code @Value("${demo.otel.prometheus.port}")}.
	 * @param registry the test context's dynamic properties
	 */
	static void otelPrometheusExporter(DynamicPropertyRegistry registry) {
		int port = FreePorts.free();
		registry.add("demo.otel.prometheus.host", () -> "127.0.0.1");
		registry.add(OTEL_PROMETHEUS_PORT, () -> port);
	}

}
