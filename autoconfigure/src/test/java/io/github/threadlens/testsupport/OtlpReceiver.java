package io.github.threadlens.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;

/**
 * An OTLP/HTTP metrics receiver on a free loopback port, as a collector would be: it decodes
 * every protobuf {@link ExportMetricsServiceRequest} posted to {@code /v1/metrics} and keeps
 * it for the test to read.
 */
public final class OtlpReceiver implements AutoCloseable {

	private final List<ExportMetricsServiceRequest> requests = new CopyOnWriteArrayList<>();

	private final HttpServer server;

	public OtlpReceiver() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/v1/metrics", this::receive);
		this.server.start();
	}

	/**
	 * Where exporters post metrics.
	 * @return the URL of the metrics endpoint
	 */
	public String metricsUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/metrics";
	}

	/**
	 * Every request received so far.
	 * @return the decoded requests, oldest first
	 */
	public List<ExportMetricsServiceRequest> requests() {
		return List.copyOf(this.requests);
	}

	private void receive(HttpExchange exchange) throws IOException {
		try (exchange) {
			try (InputStream body = decoded(exchange)) {
				this.requests.add(ExportMetricsServiceRequest.parseFrom(body));
			}
			byte[] response = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
			exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
			exchange.sendResponseHeaders(200, (response.length > 0) ? response.length : -1);
			exchange.getResponseBody().write(response);
		}
	}

	private static InputStream decoded(HttpExchange exchange) throws IOException {
		InputStream body = exchange.getRequestBody();
		return "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
				? new GZIPInputStream(body) : body;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
