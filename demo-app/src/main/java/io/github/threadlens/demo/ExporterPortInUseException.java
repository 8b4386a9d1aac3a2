package io.github.threadlens.demo;

/**
 * OpenTelemetry's Prometheus exporter could not listen where {@code demo.otel.prometheus.*}
 * says, because something else already does: reported by
 * {@link ExporterPortInUseFailureAnalyzer} instead of the bean creation chain that led there.
 */
class ExporterPortInUseException extends RuntimeException {

	private final String host;

	private final int port;

	ExporterPortInUseException(String host, int port, Throwable cause) {
		super("OpenTelemetry's Prometheus exporter could not listen on " + host + ":" + port, cause);
		this.host = host;
		this.port = port;
	}

	String host() {
		return this.host;
	}

	int port() {
		return this.port;
	}

}
