package io.github.threadlens.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;

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

	/**
	 * The data points of one request: one per metric and attribute set of each scope, so a
	 * series that arrives twice in one export is two points.
	 * @param request the request
	 * @return its points, in the order they arrived
	 */
	public static List<Point> points(ExportMetricsServiceRequest request) {
		List<Point> points = new ArrayList<>();
		for (ResourceMetrics resource : request.getResourceMetricsList()) {
			for (ScopeMetrics scope : resource.getScopeMetricsList()) {
				for (Metric metric : scope.getMetricsList()) {
					for (List<KeyValue> attributes : attributeSets(metric)) {
						points.add(new Point(scope.getScope().getName(), scope.getScope().getVersion(),
								metric.getName(), attributes(attributes)));
					}
				}
			}
		}
		return points;
	}

	private static List<List<KeyValue>> attributeSets(Metric metric) {
		return switch (metric.getDataCase()) {
			case GAUGE -> metric.getGauge().getDataPointsList().stream().map(NumberDataPoint::getAttributesList).toList();
			case SUM -> metric.getSum().getDataPointsList().stream().map(NumberDataPoint::getAttributesList).toList();
			case HISTOGRAM ->
				metric.getHistogram().getDataPointsList().stream().map(HistogramDataPoint::getAttributesList).toList();
			default -> List.of();
		};
	}

	private static Map<String, String> attributes(List<KeyValue> attributes) {
		return attributes.stream()
			.collect(Collectors.toMap(KeyValue::getKey, (attribute) -> attribute.getValue().getStringValue(),
					(first, second) -> second, TreeMap::new));
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

	/**
	 * One data point as it arrived: its scope, its metric and its attributes.
	 * @param scope the instrumentation scope's name
	 * @param scopeVersion the instrumentation scope's version
	 * @param metric the metric's name
	 * @param attributes the attributes, by key
	 */
	public record Point(String scope, String scopeVersion, String metric, Map<String, String> attributes) {
	}

}
