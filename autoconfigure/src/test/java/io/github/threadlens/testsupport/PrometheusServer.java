package io.github.threadlens.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Prometheus server ({@link Tools#prometheus()}) on a free loopback port, its
 * configuration, storage and log in a directory of the test's, read through its HTTP API.
 * Starting waits until it is ready and fails at once, with its log, if it exits; closing stops
 * it and its children.
 */
public final class PrometheusServer implements AutoCloseable {

	/** The flag that runs Prometheus as an agent, which keeps its storage elsewhere. */
	public static final String AGENT = "--enable-feature=agent";

	private static final Duration READY = Duration.ofMinutes(3);

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Path dir;

	private final int port;

	private final Process process;

	private PrometheusServer(Path dir, int port, Process process) {
		this.dir = dir;
		this.port = port;
		this.process = process;
	}

	/**
	 * Start a server on a configuration and wait until it is ready.
	 * @param dir where the configuration, the storage and the log go; rule files the
	 * configuration names relatively are read from here
	 * @param config the {@code prometheus.yml}
	 * @param flags further command-line flags, such as {@link #AGENT}
	 * @return the ready server
	 * @throws Exception if it cannot be started
	 */
	public static PrometheusServer start(Path dir, String config, String... flags) throws Exception {
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("prometheus.yml"), config);
		int port = FreePorts.free();
		List<String> command = new ArrayList<>(List.of(Tools.prometheus().getPath(),
				"--config.file=" + dir.resolve("prometheus.yml"),
				// An agent refuses the server's storage flag.
				(List.of(flags).contains(AGENT) ? "--storage.agent.path=" : "--storage.tsdb.path=")
						+ dir.resolve("data"),
				"--web.listen-address=127.0.0.1:" + port));
		command.addAll(List.of(flags));
		PrometheusServer server = new PrometheusServer(dir, port, new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("prometheus.log").toFile())
			.start());
		server.awaitReady();
		return server;
	}

	private void awaitReady() throws Exception {
		long deadline = System.nanoTime() + READY.toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(this.process.isAlive()).as("Prometheus exited:\n" + log()).isTrue();
			try {
				if (send(url("/-/ready")).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet.
			}
			Thread.sleep(200);
		}
		throw new AssertionError("Prometheus did not become ready within " + READY + ":\n" + log());
	}

	/**
	 * The port it listens on, for another server to scrape or write to.
	 * @return the port
	 */
	public int port() {
		return this.port;
	}

	/**
	 * The {@code data} of an API response, asserting the request succeeded.
	 * @param path the path and query, e.g. {@code /api/v1/alerts}
	 * @return the response's data
	 * @throws Exception if the request fails
	 */
	public JsonNode api(String path) throws Exception {
		HttpResponse<String> response = send(url(path));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("status").asString()).isEqualTo("success");
		return body.get("data");
	}

	/**
	 * The result of an instant query now.
	 * @param query the PromQL
	 * @return the result's series
	 * @throws Exception if the request fails
	 */
	public JsonNode query(String query) throws Exception {
		return api("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).get("result");
	}

	/**
	 * The value of the first series an instant query returns.
	 * @param query the PromQL
	 * @return the value, or NaN where the query returns nothing
	 * @throws Exception if the request fails
	 */
	public double value(String query) throws Exception {
		JsonNode result = query(query);
		return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asString());
	}

	/**
	 * The values of an instant query by one of its labels.
	 * @param query the PromQL
	 * @param label the label
	 * @return each series' value under its value of the label, in order
	 * @throws Exception if the request fails
	 */
	public Map<String, Double> byLabel(String query, String label) throws Exception {
		Map<String, Double> values = new TreeMap<>();
		for (JsonNode series : query(query)) {
			values.put(series.get("metric").get(label).asString(),
					Double.parseDouble(series.get("value").get(1).asString()));
		}
		return values;
	}

	/**
	 * The values one label takes in the result of an instant query.
	 * @param query the PromQL
	 * @param label the label
	 * @return its values, in order
	 * @throws Exception if the request fails
	 */
	public Set<String> labelValues(String query, String label) throws Exception {
		Set<String> values = new TreeSet<>();
		for (JsonNode series : query(query)) {
			values.add(series.get("metric").get(label).asString());
		}
		return values;
	}

	/**
	 * What the server logged so far, for a failure's message.
	 * @return the log
	 */
	public String log() {
		try {
			return Files.readString(this.dir.resolve("prometheus.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() throws InterruptedException {
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
		this.process.destroy();
		if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
		}
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.port + path;
	}

	private static HttpResponse<String> send(String url) throws IOException, InterruptedException {
		return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
