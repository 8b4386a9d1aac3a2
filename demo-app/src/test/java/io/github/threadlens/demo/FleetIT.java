package io.github.threadlens.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

import io.github.threadlens.autoconfigure.CardinalityProperties;
import io.github.threadlens.autoconfigure.SamplingProperties;
import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.CappedSeries;
import io.github.threadlens.testsupport.FreePorts;
import io.github.threadlens.testsupport.PrometheusServer;
import io.github.threadlens.testsupport.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

	/** Waiting threads of pool fleet-worker started on each instance. */
	private static final int[] WAITING = { 1, 2, 4 };

	private static final int SATURATED = 0;

	private static final int DEADLOCKED = 1;

	private static final int HEALTHY = 2;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final List<Process> apps = new ArrayList<>();

	private final List<PrometheusServer> prometheus = new ArrayList<>();

	@AfterEach
	void stop() throws Exception {
		for (PrometheusServer server : this.prometheus) {
			server.close();
		}
		for (Process app : this.apps) {
			app.destroy();
		}
		for (Process app : this.apps) {
			if (!app.waitFor(20, TimeUnit.SECONDS)) {
				app.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void everyFleetViewAnswersForEachInstance() throws Exception {
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

		PrometheusServer centralOfClusters = startPrometheus("central", "global:\n  evaluation_interval: 1s\n",
				"--web.enable-remote-write-receiver");
		PrometheusServer centralOfAgent = startPrometheus("central-of-agent",
				"global:\n  evaluation_interval: 1s\nrule_files:\n  - threadlens-rules.yml\n",
				"--web.enable-remote-write-receiver");
		String remoteWrite = Files.readString(TEMPLATES.resolve("remote-write.yml"))
			.replace("15s", "1s")
			.replace("https://central-store.example.com/api/v1/write",
					"http://127.0.0.1:" + centralOfClusters.port() + "/api/v1/write");
		PrometheusServer clusterA = startPrometheus("cluster-a",
				remoteWrite.replace("\"localhost:8080\"", quoted(instances[SATURATED], instances[DEADLOCKED])));
		PrometheusServer clusterB = startPrometheus("cluster-b", remoteWrite.replace("cluster-a", "cluster-b")
			.replace("\"localhost:8080\"", quoted(instances[HEALTHY])));
		PrometheusServer global = startPrometheus("global",
				Files.readString(TEMPLATES.resolve("federation.yml"))
					.replace("1m", "1s")
					.replace("\"prometheus-cluster-a:9090\", \"prometheus-cluster-b:9090\"",
							quoted("127.0.0.1:" + clusterA.port(), "127.0.0.1:" + clusterB.port())));
		startPrometheus("agent", """
				global:
				  scrape_interval: 1s
				scrape_configs:
				  - job_name: threadlens-app
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: [%s]
				remote_write:
				  - url: http://127.0.0.1:%d/api/v1/write
				""".formatted(quoted(instances), centralOfAgent.port()), PrometheusServer.AGENT);
		Map<String, PrometheusServer> views = Map.of("global (federation)", global, "central (remote write)",
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
		views.forEach((view, server) -> assertThat(settled(server, waiting, (value) -> value == fleet))
			.as("waiting threads of fleet-worker, summed over the instances, in the " + view)
			.isEqualTo(fleet));
		assertThat(global.byLabel("job_pool_state:jvm_threads_pool_states_threads:sum"
				+ "{pool=\"fleet-worker\",state=\"waiting\"}", "cluster"))
			.as("each cluster's instances, summed by the cluster's Prometheus")
			.isEqualTo(Map.of("cluster-a", (double) WAITING[SATURATED] + WAITING[DEADLOCKED], "cluster-b",
					(double) WAITING[HEALTHY]));

		views.forEach((view, server) -> {
			assertThat(firing(server, "ThreadLensDeadlock")).as("the deadlocked instance, in the " + view)
				.containsExactly(instances[DEADLOCKED]);
			assertThat(firing(server, "ThreadLensQueueWaitHigh")).as("the saturated instance, in the " + view)
				.containsExactly(instances[SATURATED]);
			assertThat(firingFor(server, instances[HEALTHY])).as("alerts firing for the healthy instance, in the " + view)
				.isEmpty();
		});

		assertThat(global.query("{__name__=~\".+:.+\",instance!=\"\"}"))
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
				(long) global.value("count(" + recorded + ")"), (long) centralOfClusters.value("count(" + recorded + ")"),
				(long) centralOfAgent.value("count(" + recorded + ")"), (long) global.value("count(ALERTS)"));

		// Once the burst is over, each rate keeps the same proportions between its buckets, and
		// the quantile settles; the two views sample the instances on their own clocks.
		String fleetP99 = "histogram_quantile(0.99, sum by (job, name, le) "
				+ "(job_name_le:executor_idle_seconds_bucket:rate5m{name=\"reportsExecutor\"}))";
		String instancesP99 = "histogram_quantile(0.99, sum by (job, name, le) "
				+ "(rate(executor_idle_seconds_bucket{name=\"reportsExecutor\"}[5m])))";
		double[] p99 = Awaits.until(() -> new double[] { global.value(fleetP99), centralOfAgent.value(instancesP99) },
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
		this.apps.add(new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(OUT.resolve("app-" + index + ".log").toFile())
			.start());
		return port;
	}

	private PrometheusServer startPrometheus(String name, String config, String... flags) throws Exception {
		Path dir = OUT.resolve(name);
		Files.createDirectories(dir);
		Files.copy(OUT.resolve("threadlens-rules.yml"), dir.resolve("threadlens-rules.yml"),
				StandardCopyOption.REPLACE_EXISTING);
		PrometheusServer server = PrometheusServer.start(dir, config, flags);
		this.prometheus.add(server);
		return server;
	}

	private static String quoted(String... targets) {
		return List.of(targets).stream().map((target) -> "\"" + target + "\"").collect(Collectors.joining(", "));
	}

	private double settled(PrometheusServer prometheus, String query, DoublePredicate done) {
		try {
			return Awaits.until(() -> prometheus.value(query), done::test, PATIENCE);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The instances a ThreadLens alert fires for, once it fires for any. */
	private Set<String> firing(PrometheusServer prometheus, String alert) {
		try {
			return Awaits.until(() -> prometheus
				.labelValues("ALERTS{alertname=\"" + alert + "\",alertstate=\"firing\"}", "instance"),
					(found) -> !found.isEmpty(), PATIENCE);
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
	private Set<String> firingFor(PrometheusServer prometheus, String instance) {
		try {
			return prometheus.labelValues(
					"ALERTS{alertname=~\"ThreadLens.+\",alertstate=\"firing\",instance=\"" + instance + "\"}",
					"alertname");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Series counted per instance, in the order of the instances' addresses. */
	private List<Long> counts(PrometheusServer prometheus, String query) throws Exception {
		return prometheus.byLabel(query, "instance").values().stream().map(Double::longValue).toList();
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
