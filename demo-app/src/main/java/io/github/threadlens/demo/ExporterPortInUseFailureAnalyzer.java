package io.github.threadlens.demo;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Names the busy port and the property that moves it, as Spring Boot does for the web
 * server's own port.
 */
class ExporterPortInUseFailureAnalyzer extends AbstractFailureAnalyzer<ExporterPortInUseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ExporterPortInUseException cause) {
		return new FailureAnalysis(
				"OpenTelemetry's Prometheus exporter failed to start. Port " + cause.port() + " on " + cause.host()
						+ " was already in use.",
				"Identify and stop the process that's listening on port " + cause.port()
						+ " or set demo.otel.prometheus.port to another port, for example"
						+ " -Dspring-boot.run.arguments=--demo.otel.prometheus.port=9465",
				cause);
	}

}
