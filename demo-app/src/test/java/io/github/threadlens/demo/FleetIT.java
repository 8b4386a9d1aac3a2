package io.github.threadlens.demo;

import java.io.File;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

import io.github.threadlens.autoconfigure.CardinalityProperties;
import io.github.threadlens.autoconfigure.SamplingProperties;
import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.CappedSeries;
import io.github.threadlens.testsupport.FreePorts;
import io.github.threadlens.testsupport.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A fleet on the templates themselves. Three demo JVMs of one application: one saturated (a
 * burst of slow reports), one deadlocked, one healthy, each with a known number of waiting
 * threads in pool {@code fleet-worker}. Two "cluster" Prometheus servers configured by
 * {@code config-templates/prometheus/remote-write.yml} (cluster A scrapes the first two
 * instances, cluster B the third) evaluate the rules the demo serves and remote-write their
 * recording rules and alerts to a central Prometheus ({@code --web.enable-remote-write-receiver});
 * a global Prometheus configured by {@code federation.yml} federates both clusters; and a
 * Prometheus in agent mode, which cannot evaluate rules, remote-writes the three instances'
 * meters to a second receiver that evaluates the served rules itself. Only targets, URLs, the
 * cluster label and the intervals (1 s) of the templates are substituted.
 * <p>
 * Each of the three fleet views must answer per-pool thread states summed over the instances,
 * the deadlocked instance, the instances whose tasks wait too long, and nothing firing for
 * the healthy one; the fleet-wide P99 queue wait the global view takes from the federated
 * bucket rates must be the one the agent's receiver takes from the instances' own buckets.
 * Skipped where Prometheus is missing, failed there under
 * {@value Tools#REQUIRE_TOOLS}{@code =true}.
 */
class FleetIT {

	private static final Path TEMPLATES = Path.of("../config-templates/prometheus");

	private static final Path OUT = Path.of("target/fleet");

	/** Three JVMs and five Prometheus servers share the build machine's cores. */
	private static final Duration PATIENCE = Duration.ofMinutes(3);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Waiting threads of pool fleet-worker started on each instance. */
	private static final int[] WAITING = { 1, 2, 4 };

	private static final String AGENT = "--enable-feature=agent";

	private static final int SATURATED = 0;

	private static final int DEADLOCKED = 1;

	private static final int HEALTHY = 2;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final List<Process> processes = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void everyFleetViewAnswersForEachInstance() throws Exception {
		File prometheus = Tools.prometheus();
		// A receiver started on the data of an earlier run would answer with its instances.
		FileSystemUtils.deleteRecursively(OUT);
		Files.createDirectories(OUT);
		int[] apps = new int[WAITING.length];
		for (int i = 0; i < apps.length; i++) {
			apps[i] = startApp(i);
		}
		String[] instances = new String[apps.length];
		for (int i = 0; i < apps.length; i++) {
			instances[i] = "127.0.0.1:" + apps[i];
			String health = "http://" + instances[i] + "/actuator/health";
			assertThat(Awaits.until(() -> status("GET", health), (status) -> status == 200, PATIENCE))
				.as("app-" + i + " started:\n" + log("app-" + i))
				.isEqualTo(200);
			assertThat(post(apps[i], "/scenarios/threads?pool=fleet-worker&count=" + WAITING[i] + "&state=waiting"))
				.isEqualTo(200);
		}
		Files.writeString(OUT.resolve("threadlens-rules.yml"), get("http://" + instances[0] + "/actuator/prometheusrules"));

		int centralOfClusters = startPrometheus(prometheus, "central", "global:\n  evaluation_interval: 1s\n",
				"--web.enable-remote-write-receiver");
		int centralOfAgent = startPrometheus(prometheus, "central-of-agent",
				"global:\n  evaluation_interval: 1s\nrule_files:\n  - threadlens-rules.yml\n",
				"--web.enable-remote-write-receiver");
		String remoteWrite = Files.readString(TEMPLATES.resolve("remote-write.yml"))
			.replace("15s", "1s")
			.replace("https://central-store.example.com/api/v1/write",
					"http://127.0.0.1:" + centralOfClusters + "/api/v1/write");
		int clusterA = startPrometheus(prometheus, "cluster-a",
				remoteWrite.replace("\"localhost:8080\"", quoted(instances[SATURATED], instances[DEADLOCKED])));
		int clusterB = startPrometheus(prometheus, "cluster-b", remoteWrite.replace("cluster-a", "cluster-b")
			.replace("\"localhost:8080\"", quoted(instances[HEALTHY])));
		int global = startPrometheus(prometheus, "global",
				Files.readString(TEMPLATES.resolve("federation.yml"))
					.replace("1m", "1s")
					.replace("\"prometheus-cluster-a:9090\", \"prometheus-cluster-b:9090\"",
							quoted("127.0.0.1:" + clusterA, "127.0.0.1:" + clusterB)));
		startPrometheus(prometheus, "agent", """
				global:
				  scrape_interval: 1s
				scrape_configs:
				  - job_name: threadlens-app
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: [%s]
				remote_write:
				  - url: http://127.0.0.1:%d/api/v1/write
				""".formatted(quoted(instances), centralOfAgent), AGENT);
		Map<String, Integer> views = Map.of("global (federation)", global, "central (remote write)",
				centralOfClusters, "central (agent)", centralOfAgent);

		// The burst that saturates the first instance: 2 threads, 20 tasks of 2 s queued behind
		// them; a few quick ones elsewhere, so that the fleet's quantile is over all three.
		assertThat(post(apps[SATURATED], "/scenarios/executors/reports?tasks=22&millis=2000")).isEqualTo(200);
		assertThat(post(apps[DEADLOCKED], "/scenarios/executors/reports?tasks=4&millis=10")).isEqualTo(200);
		assertThat(post(apps[HEALTHY], "/scenarios/executors/reports?tasks=4&millis=10")).isEqualTo(200);
		assertThat(post(apps[DEADLOCKED], "/scenarios/deadlock?confirm=true")).isEqualTo(200);

		int fleet = WAITING[SATURATED] + WAITING[DEADLOCKED] + WAITING[HEALTHY];
		String waiting = "sum by (job, pool, state) (job_pool_state:jvm_threads_pool_states_threads:sum"
				+ "{pool=\"fleet-worker\",state=\"waiting\"})";
		views.forEach((view, port) -> assertThat(settled(port, waiting, (value) -> value == fleet))
			.as("waiting threads of fleet-worker, summed over the instances, in the " + view)
			.isEqualTo(fleet));
		assertThat(byLabel(global, "job_pool_state:jvm_threads_pool_states_threads:sum"
				+ "{pool=\"fleet-worker\",state=\"waiting\"}", "cluster"))
			.as("each cluster's instances, summed by the cluster's Prometheus")
			.isEqualTo(Map.of("cluster-a", (double) WAITING[SATURATED] + WAITING[DEADLOCKED], "cluster-b",
					(double) WAITING[HEALTHY]));

		views.forEach((view, port) -> {
			assertThat(firing(port, "ThreadLensDeadlock")).as("the deadlocked instance, in the " + view)
				.containsExactly(instances[DEADLOCKED]);
			assertThat(firing(port, "ThreadLensQueueWaitHigh")).as("the saturated instance, in the " + view)
				.containsExactly(instances[SATURATED]);
			assertThat(firingFor(port, instances[HEALTHY])).as("alerts firing for the healthy instance, in the " + view)
				.isEmpty();
		});

		assertThat(query(global, "{__name__=~\".+:.+\",instance!=\"\"}"))
			.as("recording rules at the global view, none per instance")
			.isEmpty();
		// What the caps allow each instance (the defaults: the demo leaves them), against what
		// each has; the recording rules and the alerts at each view.
		CardinalityProperties cardinality = new Binder().bindOrCreate("threadlens.cardinality",
				CardinalityProperties.class);
		SeriesLimits limits = new SeriesLimits(cardinality.maxPools(), cardinality.maxClasses(),
				new Binder().bindOrCreate("threadlens.sampling", SamplingProperties.class).depthBuckets().size() + 1);
		String scraped = "{job=\"threadlens-app\",instance!=\"\"";
		List<Long> capped = counts(centralOfAgent,
				"count by (instance) (" + scraped + ",__name__=~\"" + CappedSeries.names(limits) + "\"})");
		assertThat(capped).as("series of the capped families, per instance").hasSize(3)
			.allSatisfy((series) -> assertThat(series).isLessThanOrEqualTo(CappedSeries.lines(limits)));
		String recorded = "{__name__=~\".+:.+\"}";
		System.out.printf("Fleet series, 3 instances of one job, default caps:%n"
				+ "  per instance, scraped: %s (capped families: %s, at most %d by the caps; executor families: %s)%n"
				+ "  recording rules: global %d, central of the clusters %d, central of the agent %d%n"
				+ "  ALERTS: global %d (pending or firing)%n",
				counts(centralOfAgent, "count by (instance) (" + scraped + "})"), capped, CappedSeries.lines(limits),
				counts(centralOfAgent, "count by (instance) (" + scraped + ",__name__=~\"executor_.*\"})"),
				(long) value(global, "count(" + recorded + ")"),
				(long) value(centralOfClusters, "count(" + recorded + ")"),
				(long) value(centralOfAgent, "count(" + recorded + ")"), (long) value(global, "count(ALERTS)"));

		// Once the burst is over, each rate keeps the same proportions between its buckets, and
		// the quantile settles; the two views sample the instances on their own clocks.
		String fleetP99 = "histogram_quantile(0.99, sum by (job, name, le) "
				+ "(job_name_le:executor_idle_seconds_bucket:rate5m{name=\"reportsExecutor\"}))";
		String instancesP99 = "histogram_quantile(0.99, sum by (job, name, le) "
				+ "(rate(executor_idle_seconds_bucket{name=\"reportsExecutor\"}[5m])))";
		double[] p99 = Awaits.until(() -> new double[] { value(global, fleetP99), value(centralOfAgent, instancesP99) },
				(both) -> both[0] > 1 && Math.abs(both[0] - both[1]) <= 0.02 * both[1], PATIENCE);
		assertThat(p99[0]).as("P99 queue wait of reportsExecutor over the fleet, from the federated bucket rates")
			.isGreaterThan(1)
			.isCloseTo(p99[1], within(0.02 * p99[1]));
	}

	private int startApp(int index) throws Exception {
		int port = FreePorts.free();
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
				"-cp", System.getProperty("java.class.path"), DemoApplication.class.getName(), "--server.port=" + port,
				"--demo.otel.prometheus.host=127.0.0.1", "--" + TestPorts.OTEL_PROMETHEUS_PORT + "=" + FreePorts.free(),
				"--threadlens.census.max-age=0s",
				// The alerts this test waits for fire as soon as their condition holds.
				"--threadlens.alerts.rules.deadlock.for=0s", "--threadlens.alerts.rules.queue-wait.for=0s",
				// Debian's Prometheus (2.42) drops an OpenMetrics scrape with an exemplar on a _count
				// series: no trace is sampled, so there is none.
				"--management.tracing.sampling.probability=0.0");
		this.processes.add(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(OUT.resolve("app-" + index + ".log").toFile())
			.start());
		return port;
	}

	private int startPrometheus(File binary, String name, String config, String... flags) throws Exception {
		Path dir = OUT.resolve(name);
		Files.createDirectories(dir);
		Files.writeString(dir.resolve("prometheus.yml"), config);
		Files.copy(OUT.resolve("threadlens-rules.yml"), dir.resolve("threadlens-rules.yml"),
				StandardCopyOption.REPLACE_EXISTING);
		int port = FreePorts.free();
		List<String> command = new ArrayList<>(List.of(binary.getPath(), "--config.file=" + dir.resolve("prometheus.yml"),
				// An agent keeps its write-ahead log elsewhere, and refuses the server's flag.
				(List.of(flags).contains(AGENT) ? "--storage.agent.path=" : "--storage.tsdb.path=") + dir.resolve("data"),
				"--web.listen-address=127.0.0.1:" + port));
		command.addAll(List.of(flags));
		this.processes.add(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("prometheus.log").toFile())
			.start());
		String ready = "http://127.0.0.1:" + port + "/-/ready";
		assertThat(Awaits.until(() -> status("GET", ready), (status) -> status == 200, PATIENCE))
			.as(name + " ready:\n" + log(name + "/prometheus"))
			.isEqualTo(200);
		return port;
	}

	private static String quoted(String... targets) {
		return List.of(targets).stream().map((target) -> "\"" + target + "\"").collect(Collectors.joining(", "));
	}

	private double settled(int prometheus, String query, DoublePredicate done) {
		try {
			return Awaits.until(() -> value(prometheus, query), done::test, PATIENCE);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The instances a ThreadLens alert fires for, once it fires for any. */
	private Set<String> firing(int prometheus, String alert) {
		try {
			return Awaits.until(() -> labelValues(prometheus,
					"ALERTS{alertname=\"" + alert + "\",alertstate=\"firing\"}", "instance"), (found) -> !found.isEmpty(),
					PATIENCE);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The ThreadLens alerts firing for an instance. Pending ones are left out: every demo
	 * instance keeps threads of pool inventory-lock BLOCKED, which a 5m {@code for} keeps pending
	 * here.
	 */
	private Set<String> firingFor(int prometheus, String instance) {
		try {
			return labelValues(prometheus,
					"ALERTS{alertname=~\"ThreadLens.+\",alertstate=\"firing\",instance=\"" + instance + "\"}",
					"alertname");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private double value(int prometheus, String query) throws Exception {
		JsonNode result = query(prometheus, query);
		return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).get("value").get(1).asString());
	}

	private Map<String, Double> byLabel(int prometheus, String query, String label) throws Exception {
		Map<String, Double> values = new TreeMap<>();
		for (JsonNode series : query(prometheus, query)) {
			values.put(series.get("metric").get(label).asString(),
					Double.parseDouble(series.get("value").get(1).asString()));
		}
		return values;
	}

	/** Series counted per instance, in the order of the instances' addresses. */
	private List<Long> counts(int prometheus, String query) throws Exception {
		return byLabel(prometheus, query, "instance").values().stream().map(Double::longValue).toList();
	}

	private Set<String> labelValues(int prometheus, String query, String label) throws Exception {
		Set<String> values = new TreeSet<>();
		for (JsonNode series : query(prometheus, query)) {
			values.add(series.get("metric").get(label).asString());
		}
		return values;
	}

	private JsonNode query(int prometheus, String query) throws Exception {
		return JSON.readTree(get("http://127.0.0.1:" + prometheus + "/api/v1/query?query="
				+ URLEncoder.encode(query, StandardCharsets.UTF_8))).get("data").get("result");
	}

	private String get(String url) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private int post(int app, String path) {
		return status("POST", "http://127.0.0.1:" + app + path);
	}

	private int status(String method, String url) {
		try {
			return this.http.send(HttpRequest.newBuilder(URI.create(url))
				.timeout(Duration.ofSeconds(30))
				.method(method, HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private static String log(String name) {
		try {
			return Files.readString(OUT.resolve(name + ".log"));
		}
		catch (Exception ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

}
