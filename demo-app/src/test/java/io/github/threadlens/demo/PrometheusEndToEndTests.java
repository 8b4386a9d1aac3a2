package io.github.threadlens.demo;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.testsupport.Promtool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo app scraped by a real Prometheus (Debian's package) on loopback ports, with a 1 s
 * scrape and evaluation interval, loading the rules the demo serves itself: the scenarios
 * drive the alerts to firing, and an alert whose condition is not met stays inactive.
 * Skipped only where the {@code prometheus} binary cannot be found; {@code .ci/run} installs
 * it.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "threadlens.census.max-age=0s", "threadlens.alerts.selector={application=\"threadlens-demo\"}",
				"threadlens.alerts.rules.deadlock.for=0s", "threadlens.alerts.rules.pool-saturated.for=0s",
				"threadlens.alerts.rules.queue-wait.for=0s", "threadlens.alerts.rules.queue-wait.threshold=0.5",
				"threadlens.alerts.rules.rejections.for=0s", "threadlens.alerts.rules.thread-leak.for=0s",
				"threadlens.alerts.rules.monitor-contention.for=0s",
				"threadlens.alerts.rules.monitor-contention.threshold=0.01",
				"threadlens.leak.window=3s", "threadlens.leak.min-growth=5" })
// Closed afterwards: its scenario threads must not outlive it into another test's context.
@DirtiesContext
class PrometheusEndToEndTests {

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@TempDir
	Path dir;

	private Process prometheus;

	private int prometheusPort;

	@DynamicPropertySource
	static void otelPrometheusExporter(DynamicPropertyRegistry registry) {
		TestPorts.otelPrometheusExporter(registry);
	}

	@AfterEach
	void stop() throws Exception {
		send("DELETE", "http://127.0.0.1:" + this.port + "/scenarios/deadlock");
		send("DELETE", "http://127.0.0.1:" + this.port + "/scenarios/leak");
		send("DELETE", "http://127.0.0.1:" + this.port + "/scenarios/contention");
		if (this.prometheus != null) {
			this.prometheus.descendants().forEach(ProcessHandle::destroyForcibly);
			this.prometheus.destroy();
			if (!this.prometheus.waitFor(20, TimeUnit.SECONDS)) {
				this.prometheus.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
			}
		}
	}

	@Test
	void scenariosDriveTheServedAlertsToFiringInARealPrometheus() throws Exception {
		startPrometheus();
		awaitQuery("up{job=\"threadlens-demo\"} == 1");
		awaitQuery("jvm_threads_pool_states_threads{application=\"threadlens-demo\",pool=\"orders-worker\",state=\"waiting\"} > 0");

		String app = "http://127.0.0.1:" + this.port;
		assertThat(send("POST", app + "/scenarios/executors/reports?tasks=40&millis=2000").body())
			.contains("\"rejected\":18");
		assertThat(send("POST", app + "/scenarios/deadlock?confirm=true").statusCode()).isEqualTo(200);
		assertThat(send("POST", app + "/scenarios/leak?millis=100").statusCode()).isEqualTo(200);
		assertThat(send("POST", app + "/scenarios/contention?threads=4&millis=50").statusCode()).isEqualTo(200);

		Set<String> firing = awaitFiring(Set.of("ThreadLensDeadlock", "ThreadLensTasksRejected",
				"ThreadLensExecutorSaturated", "ThreadLensQueueWaitHigh", "ThreadLensThreadLeak", "ThreadLensMonitorContention"));
		assertThat(firing).contains("ThreadLensTasksRejected/reportsExecutor", "ThreadLensExecutorSaturated/reportsExecutor",
				"ThreadLensQueueWaitHigh/reportsExecutor", "ThreadLensThreadLeak/leaky-worker",
				"ThreadLensMonitorContention/contended-worker");
		assertThat(ruleState("ThreadLensLiveThreadsHigh")).as("2000 live threads are far away").isEqualTo("inactive");
		JsonNode leak = JSON.readTree(send("GET", app + "/actuator/health").body())
			.get("components")
			.get("threadLeak");
		assertThat(leak.get("status").asString()).isEqualTo("UP");
		JsonNode suspect = leak.get("details").get("suspected").get(0);
		assertThat(suspect.get("pool").asString()).isEqualTo("leaky-worker");
		assertThat(suspect.get("growth").asInt()).isGreaterThanOrEqualTo(5);
		assertThat(suspect.get("commonStack").toString()).contains("ScenarioThreads");
		awaitQuery("executor_idle_seconds_bucket{name=\"reportsExecutor\",le=\"+Inf\"} > 0");
		awaitQuery("name:executor_idle_seconds:p99_rate5m{name=\"reportsExecutor\"} > 0");

		assertEveryDashboardQueryReturnsData();

		String ours = send("GET", app + "/actuator/prometheus").body()
			.lines()
			.filter((line) -> line.replaceFirst("^# (HELP|TYPE) ", "").matches("^(jvm_threads_|threadlens_|executor_).*"))
			.collect(Collectors.joining("\n", "", "\n"));
		Promtool.Result lint = Promtool.checkMetrics(ours);
		assertThat(lint.exitCode()).as(lint.output()).isZero();
	}

	/**
	 * The Grafana dashboard's variable and every panel query, as Grafana would send them for
	 * the demo, return series; a panel that needs a newer JDK ("Needs JDK 21+.") is skipped
	 * on an older one.
	 */
	private void assertEveryDashboardQueryReturnsData() throws Exception {
		JsonNode dashboard = JSON.readTree(Files.readString(Path.of("../config-templates/grafana/threadlens-dashboard.json")));
		assertThat(api("/api/v1/label/application/values").valueStream().map(JsonNode::asString))
			.contains("threadlens-demo");
		int checked = 0;
		for (JsonNode panel : dashboard.get("panels")) {
			Matcher jdk = Pattern.compile("Needs JDK (\\d+)\\+").matcher(panel.get("description").asString());
			if (jdk.find() && Runtime.version().feature() < Integer.parseInt(jdk.group(1))) {
				continue;
			}
			for (JsonNode target : panel.get("targets")) {
				awaitQuery(target.get("expr")
					.asString()
					.replace("$application", "threadlens-demo")
					.replace("$__rate_interval", "1m"));
				checked++;
			}
		}
		assertThat(checked).isGreaterThanOrEqualTo(9);
	}

	private void startPrometheus() throws Exception {
		File binary = new File("/usr/bin/prometheus");
		Assumptions.assumeTrue(binary.canExecute(), "prometheus is not installed (Debian package 'prometheus')");
		HttpResponse<String> rules = send("GET", "http://127.0.0.1:" + this.port + "/actuator/prometheusrules");
		assertThat(rules.statusCode()).isEqualTo(200);
		Files.writeString(this.dir.resolve("rules.yml"), rules.body());
		Files.writeString(this.dir.resolve("prometheus.yml"), """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files:
				  - rules.yml
				scrape_configs:
				  - job_name: threadlens-demo
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ["127.0.0.1:%d"]
				""".formatted(this.port));
		this.prometheusPort = freePort();
		this.prometheus = new ProcessBuilder(binary.getPath(), "--config.file=" + this.dir.resolve("prometheus.yml"),
				"--storage.tsdb.path=" + this.dir.resolve("data"),
				"--web.listen-address=127.0.0.1:" + this.prometheusPort)
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("prometheus.log").toFile())
			.start();
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(this.prometheus.isAlive()).as(log()).isTrue();
			if (sendQuietly(prometheus("/-/ready")) == 200) {
				return;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("Prometheus did not become ready:\n" + log());
	}

	private void awaitQuery(String query) throws Exception {
		JsonNode result = null;
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline) {
			result = api("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)).get("result");
			if (!result.isEmpty()) {
				return;
			}
			Thread.sleep(500);
		}
		throw new AssertionError("No series for " + query + " within " + PATIENCE + ": " + result + "\n" + log());
	}

	/** Alert name and executor or pool of every firing alert, once all the expected fire. */
	private Set<String> awaitFiring(Set<String> expected) throws Exception {
		Set<String> firing = Set.of();
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline) {
			firing = new HashSet<>();
			for (JsonNode alert : api("/api/v1/alerts").get("alerts")) {
				if (alert.get("state").asString().equals("firing")) {
					JsonNode labels = alert.get("labels");
					String of = labels.has("name") ? labels.get("name").asString()
							: labels.has("pool") ? labels.get("pool").asString() : "";
					firing.add(labels.get("alertname").asString() + (of.isEmpty() ? "" : "/" + of));
				}
			}
			Set<String> names = firing.stream().map((alert) -> alert.split("/")[0]).collect(Collectors.toSet());
			if (names.containsAll(expected)) {
				return firing;
			}
			Thread.sleep(500);
		}
		throw new AssertionError("Firing " + firing + ", expected " + expected + " within " + PATIENCE);
	}

	private String ruleState(String alert) throws Exception {
		for (JsonNode group : api("/api/v1/rules?type=alert").get("groups")) {
			for (JsonNode rule : group.get("rules")) {
				if (rule.get("name").asString().equals(alert)) {
					return rule.get("state").asString();
				}
			}
		}
		throw new AssertionError("No alerting rule " + alert);
	}

	private JsonNode api(String path) throws Exception {
		HttpResponse<String> response = send("GET", prometheus(path));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = JSON.readTree(response.body());
		assertThat(body.get("status").asString()).isEqualTo("success");
		return body.get("data");
	}

	private String prometheus(String path) {
		return "http://127.0.0.1:" + this.prometheusPort + path;
	}

	private HttpResponse<String> send(String method, String url) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private int sendQuietly(String url) {
		try {
			return send("GET", url).statusCode();
		}
		catch (Exception ex) {
			return -1;
		}
	}

	private String log() {
		try {
			return Files.readString(this.dir.resolve("prometheus.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
