package io.github.threadlens.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scrapes {@code /actuator/prometheus} over real HTTP and reads series out of the text
 * exposition.
 */
public final class Scrapes {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private Scrapes() {
	}

	/**
	 * Scrape the Prometheus endpoint.
	 * @param port the server port
	 * @return the response
	 * @throws Exception on I/O failure
	 */
	public static HttpResponse<String> prometheus(int port) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
			.timeout(Duration.ofMinutes(1))
			.header("Accept", "text/plain;version=0.0.4")
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A GET asking for the OpenMetrics format, the one that carries exemplars.
	 * @param port the server port
	 * @param path the path
	 * @return the response
	 * @throws Exception on I/O failure
	 */
	public static HttpResponse<String> openMetrics(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofMinutes(1))
			.header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A plain GET.
	 * @param port the server port
	 * @param path the path
	 * @return the response
	 * @throws Exception on I/O failure
	 */
	public static HttpResponse<String> get(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofMinutes(1))
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The distinct values of a label over the series of one metric.
	 * @param exposition the scraped text
	 * @param metric the metric name as Prometheus sees it
	 * @param label the label
	 * @return the values
	 */
	public static Set<String> labelValues(String exposition, String metric, String label) {
		Pattern series = Pattern.compile("^" + Pattern.quote(metric) + "\\{([^}]*)\\} ", Pattern.MULTILINE);
		Pattern value = Pattern.compile(Pattern.quote(label) + "=\"([^\"]*)\"");
		Set<String> values = new TreeSet<>();
		Matcher matcher = series.matcher(exposition);
		while (matcher.find()) {
			Matcher labelValue = value.matcher(matcher.group(1));
			if (labelValue.find()) {
				values.add(labelValue.group(1));
			}
		}
		return values;
	}

	/**
	 * The value of the one series matching a metric and a label set written as in the
	 * exposition.
	 * @param exposition the scraped text
	 * @param metric the metric name
	 * @param labels the labels, e.g. {@code pool="main",state="runnable"}, or empty
	 * @return the value
	 */
	public static double value(String exposition, String metric, String labels) {
		String series = labels.isEmpty() ? Pattern.quote(metric)
				: Pattern.quote(metric) + "\\{" + Pattern.quote(labels) + "\\}";
		Matcher matcher = Pattern.compile("^" + series + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
		if (!matcher.find()) {
			throw new AssertionError("No series " + metric + "{" + labels + "} in the scrape");
		}
		return Double.parseDouble(matcher.group(1));
	}

}
