package io.github.threadlens.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;

import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import org.springframework.context.SmartLifecycle;

/**
 * Serves an OpenTelemetry {@link PrometheusMetricReader} at {@code /metrics} with the
 * Prometheus client's own HTTP server. It listens from the context's start to its stop,
 * like the web server: a busy port fails the start with the port named
 * ({@link ExporterPortInUseException}), not the creation of whichever bean first needed
 * the meter provider.
 */
final class OpenTelemetryPrometheusServer implements SmartLifecycle {

	private final PrometheusMetricReader reader;

	private final String host;

	private final int port;

	private volatile HTTPServer server;

	OpenTelemetryPrometheusServer(PrometheusMetricReader reader, String host, int port) {
		this.reader = reader;
		this.host = host;
		this.port = port;
	}

	@Override
	public void start() {
		PrometheusRegistry registry = new PrometheusRegistry();
		registry.register(this.reader);
		try {
			this.server = HTTPServer.builder().hostname(this.host).port(this.port).registry(registry).buildAndStart();
		}
		catch (BindException ex) {
			throw new ExporterPortInUseException(this.host, this.port, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void stop() {
		HTTPServer running = this.server;
		this.server = null;
		if (running != null) {
			running.close();
		}
	}

	@Override
	public boolean isRunning() {
		return this.server != null;
	}

}
