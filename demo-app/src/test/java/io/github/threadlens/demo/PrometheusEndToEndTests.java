package io.github.threadlens.demo;

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
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.rules.Selector;
import io.github.threadlens.rules.ThreadLensAlert;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.PrometheusServer;
import io.github.threadlens.testsupport.Promtool;
import io.github.threadlens.testsupport.Tools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo app scraped by a real Prometheus (Debian's package) on loopback ports, with a 1 s
 * scrape and evaluation interval, through both export paths at once: one job scrapes
 * {@code /actuator/prometheus}, another the demo's OpenTelemetry Prometheus exporter. Each
 * path has the rules the demo serves in its names, each rule reading its own job's series
 * only ({@link Scraped}), with their default thresholds and, where the test can afford the
 * wait, their default {@code for}: the scenarios, run once, drive the same alerts to firing
 * on both paths, an alert whose condition is not met stays inactive on both, and every query
 * of each path's Grafana dashboard returns data. The catalog is also compared through both
 * paths. Prometheus is found by {@link Tools#prometheus()}: skipped where it is missing,
 * failed there under {@value Tools#REQUIRE_TOOLS}{@code =true}.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "threadlens.census.max-age=0s",
				// The Micrometer path's rules as documented: the application tag, which only that
				// path's series have. The OpenTelemetry path's are asked for with its own selector.
				"threadlens.alerts.selector={application=\"threadlens-demo\"}",
				// Saturation, queue wait, blocked threads and contention: their default for, 5m, is more
				// than this test may take (CI runs it several times); the deadlock, rejection and leak
				// alerts keep their 1m. Saturation could not be held that long anyway: it lasts while
				// the reports burst's queue grows, some 20 s.
				"threadlens.alerts.rules.pool-saturated.for=0s", "threadlens.alerts.rules.queue-wait.for=0s",
				"threadlens.alerts.rules.blocked-threads.for=0s", "threadlens.alerts.rules.monitor-contention.for=0s",
				// The monitor-contention alert reads JFR, which the autoconfigure module's own test
				// settings switch off: they are on this class path where the build resolves that
				// module's test classes as a directory rather than its test jar.
				"threadlens.jfr.enabled=true",
				// A leak suspected after seconds of growth, not the default 10m window and 20 threads.
				"threadlens.leak.window=3s", "threadlens.leak.min-growth=5",
				// Debian's Prometheus (2.42) drops a whole OpenMetrics scrape that has an exemplar on
				// a _count series, where Micrometer puts them; 2.43 accepts them. DemoApplicationTests
				// checks the exemplars over HTTP instead. Boot 4.0 lacks that property: there, no trace
				// is sampled, so that there is no exemplar to write.
				"management.tracing.exemplars.include=none", "management.tracing.sampling.probability=0.0" })
// Closed afterwards: its scenario threads must not outlive it into another test's context.
@DirtiesContext
class PrometheusEndToEndTests {

	private static final Duration PATIENCE = Duration.ofSeconds(90);

	/** The longest served {@code for} the alerts keep here, on top of the patience to fire. */
	private static final Duration LONGEST_FOR = Duration.ofMinutes(1);

	/** The job scraping {@code /actuator/prometheus}, the Micrometer path. */
	private static final String MICROMETER_JOB = "threadlens-demo";

	/** The job scraping the OpenTelemetry exporter's {@code /metrics}, the OpenTelemetry path. */
	private static final String OTEL_JOB = "threadlens-demo-otel";

	/** The series of a timer compared on both paths; Micrometer's {@code _max} has no OpenTelemetry twin. */
	private static final List<String> HISTOGRAM_SERIES = List.of("_bucket", "_count", "_sum");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@LocalServerPort
	private int port;

	@Value("${" + TestPorts.OTEL_PROMETHEUS_PORT + "}")
	private int otelPort;

	@TempDir
	Path dir;

	private PrometheusServer prometheus;

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
			this.prometheus.close();
		}
	}

	@Test
	void scenariosDriveTheServedAlertsToFiringInARealPrometheus() throws Exception {
		startPrometheus();
		for (Scraped path : Scraped.values()) {
			awaitQuery("up{job=\"" + path.job + "\"} == 1");
			awaitQuery(path.naming.select(ThreadLensMeters.THREADS_POOL_STATES,
					path.selector(ThreadLensMeters.POOL, "orders-worker"), ThreadLensMeters.STATE, "waiting") + " > 0");
		}

		String app = "http://127.0.0.1:" + this.port;
		assertThat(send("POST", app + "/scenarios/executors/reports?tasks=40&millis=2000").body())
			.contains("\"rejected\":18");
		assertThat(send("POST", app + "/scenarios/deadlock?confirm=true").statusCode()).isEqualTo(200);
		assertThat(send("POST", app + "/scenarios/leak?millis=250").statusCode()).isEqualTo(200);
		assertThat(send("POST", app + "/scenarios/contention?threads=4&millis=50").statusCode()).isEqualTo(200);
		if (Runtime.version().feature() >= 21) {
			// The demo's virtual-thread executor is known as one from its first task (Spring
			// offers no getter), so the dashboard's virtual-thread panel has data from then.
			assertThat(send("POST", app + "/scenarios/executors/virtual?tasks=2&millis=1").statusCode())
				.isEqualTo(200);
		}

		Map<Scraped, Set<String>> firing = awaitFiring(Set.of("ThreadLensDeadlock", "ThreadLensTasksRejected",
				"ThreadLensExecutorSaturated", "ThreadLensQueueWaitHigh", "ThreadLensThreadsBlocked", "ThreadLensThreadLeak",
				"ThreadLensMonitorContention"));
		for (Scraped path : Scraped.values()) {
			assertThat(firing.get(path)).as("fired through " + path)
				.contains("ThreadLensTasksRejected/reportsExecutor", "ThreadLensExecutorSaturated/reportsExecutor",
						"ThreadLensQueueWaitHigh/reportsExecutor", "ThreadLensThreadsBlocked/contended-worker",
						"ThreadLensThreadLeak/leaky-worker", "ThreadLensMonitorContention/contended-worker");
		}
		Map<String, Long> served = new TreeMap<>();
		for (ThreadLensAlert alert : ThreadLensAlert.values()) {
			served.put(alert.alertName(), alert.defaults().forDuration().toSeconds());
		}
		served.putAll(Map.of("ThreadLensExecutorSaturated", 0L, "ThreadLensQueueWaitHigh", 0L,
				"ThreadLensThreadsBlocked", 0L, "ThreadLensMonitorContention", 0L));
		assertThat(forSeconds()).as("seconds Prometheus holds each alert, per rule file: the defaults but for this "
				+ "test's overrides")
			.hasSize(Scraped.values().length)
			.allSatisfy((file, durations) -> assertThat(durations).as(file).isEqualTo(served));
		assertThat(ruleStates("ThreadLensLiveThreadsHigh")).as("2000 live threads are far away, on either path")
			.hasSize(Scraped.values().length)
			.containsOnly("inactive");
		JsonNode leak = JSON.readTree(send("GET", app + "/actuator/health").body())
			.get("components")
			.get("threadLeak");
		assertThat(leak.get("status").asString()).isEqualTo("UP");
		JsonNode suspect = leak.get("details").get("suspected").get(0);
		assertThat(suspect.get("pool").asString()).isEqualTo("leaky-worker");
		assertThat(suspect.get("growth").asInt()).isGreaterThanOrEqualTo(5);
		assertThat(suspect.get("commonStack").toString()).contains("ScenarioThreads");
		for (Scraped path : Scraped.values()) {
			String reports = path.naming.label(ThreadLensMeters.NAME) + "=\"reportsExecutor\"";
			awaitQuery(path.naming.buckets(ThreadLensMeters.EXECUTOR_IDLE,
					Selector.parse("{job=\"" + path.job + "\"," + reports + ",le=\"+Inf\"}")) + " > 0");
			// The recording rule keeps the job and the executor's name, and names its level after them.
			awaitQuery("job_" + path.naming.label(ThreadLensMeters.NAME) + ":executor_idle_seconds:p99_rate5m{job=\""
					+ path.job + "\"," + reports + "} > 0");
			assertEveryDashboardQueryReturnsData(path);
		}

		String ours = send("GET", app + "/actuator/prometheus").body()
			.lines()
			.filter((line) -> line.replaceFirst("^# (HELP|TYPE) ", "").matches("^(jvm_threads_|threadlens_|executor_).*"))
			.collect(Collectors.joining("\n", "", "\n"));
		Promtool.Result lint = Promtool.checkMetrics(ours);
		assertThat(lint.exitCode()).as(lint.output()).isZero();
	}

	/**
	 * The same catalog through both paths, as Prometheus stored it at one instant: every
	 * ThreadLens meter with series at {@code /actuator/prometheus} has series with the same
	 * label sets at the OpenTelemetry exporter's {@code /metrics}, and the other way round.
	 * Names and labels differ by rule ({@link PrometheusNaming}); labels that only one path
	 * adds are left out ({@link #pathOnly}); values are not compared, since the two
	 * paths are scraped at different moments. What cannot match is excluded in
	 * {@link #parity} with its reason.
	 */
	@Test
	void everyThreadLensSeriesHasTheSameLabelsThroughOpenTelemetry() throws Exception {
		startPrometheus();
		awaitQuery("up{job=\"" + MICROMETER_JOB + "\"} == 1");
		awaitQuery("up{job=\"" + OTEL_JOB + "\"} == 1");
		String app = "http://127.0.0.1:" + this.port;
		// Every executor runs a task, so that each has histograms on both paths.
		for (String executor : List.of("reports", "export", "crunch", "image-resizer", "async")) {
			assertThat(send("POST", app + "/scenarios/executors/" + executor + "?tasks=2&millis=1").statusCode())
				.isEqualTo(200);
		}
		if (Runtime.version().feature() >= 21) {
			assertThat(send("POST", app + "/scenarios/executors/virtual?tasks=2&millis=1").statusCode()).isEqualTo(200);
		}
		assertThat(send("POST", app + "/scenarios/contention?threads=3&millis=20").statusCode()).isEqualTo(200);
		awaitQuery(PrometheusNaming.OPENTELEMETRY.name(ThreadLensMeters.MONITOR_CONTENTION) + "_count{job=\""
				+ OTEL_JOB + "\"," + PrometheusNaming.OPENTELEMETRY.label(ThreadLensMeters.POOL)
				+ "=\"contended-worker\"} > 0");

		Parity parity = Awaits.until(this::parity, (result) -> result.mismatches().isEmpty());
		assertThat(parity.mismatches()).as("label sets per meter: Micrometer path vs OpenTelemetry path").isEmpty();
		assertThat(parity.compared()).as("meters with series on the Micrometer path")
			.contains(ThreadLensMeters.THREADS_POOL_STATES.name(), ThreadLensMeters.THREADS_BLOCKING.name(),
					ThreadLensMeters.MONITOR_CONTENTION.name(), ThreadLensMeters.EXECUTOR_IDLE.name(),
					ThreadLensMeters.EXECUTOR_POOL_MAX.name(), ThreadLensMeters.CARDINALITY_OVERFLOW.name());
		if (Runtime.version().feature() >= 21) {
			assertThat(parity.compared()).contains(ThreadLensMeters.VIRTUAL_ACTIVE.name());
		}
	}

	/**
	 * Compare the label sets of every catalog entry on both paths at one instant.
	 * @return the entries compared and, per series name, the label sets that differ
	 */
	private Parity parity() throws Exception {
		String time = String.valueOf(System.currentTimeMillis() / 1000.0);
		Map<String, List<Sample>> micrometer = series(MICROMETER_JOB, time,
				(definition) -> PrometheusNaming.MICROMETER.publishes(definition) ? PrometheusNaming.MICROMETER.name(definition) : null);
		Map<String, List<Sample>> otel = series(OTEL_JOB, time,
				(definition) -> PrometheusNaming.OPENTELEMETRY.publishes(definition)
						? PrometheusNaming.OPENTELEMETRY.name(definition) : null);
		Set<String> compared = new TreeSet<>();
		Map<String, String> mismatches = new TreeMap<>();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			if (!definition.micrometer() || definition.openTelemetryName() == null) {
				// Entries the semantic conventions fold together: ExportParityTests sums them back.
				continue;
			}
			if (definition.equals(ThreadLensMeters.VIRTUAL_PINNED)) {
				// Where Boot binds Micrometer's VirtualThreadMetrics (JDK 21+), its timer of the same name
				// is the Micrometer path's, registered at count 0 and without buckets; ThreadLens records
				// pinning into the OpenTelemetry histogram only. The two are different meters.
				continue;
			}
			boolean timer = definition.kind() == MeterKind.TIMER;
			// A Micrometer timer has series from its registration on, at count 0; an OpenTelemetry
			// histogram has a point only once something was recorded: timers are compared over the
			// label sets that recorded on the Micrometer path.
			Set<Map<String, String>> recorded = timer
					? labelSets(micrometer, PrometheusNaming.MICROMETER.name(definition) + "_count", (sample) -> sample.value() > 0) : null;
			for (String suffix : timer ? HISTOGRAM_SERIES : List.of("")) {
				Set<Map<String, String>> viaMicrometer = otelLabels(labelSets(micrometer,
						PrometheusNaming.MICROMETER.name(definition) + suffix,
						(sample) -> recorded == null || recorded.contains(withoutLe(sample.labels()))));
				Set<Map<String, String>> viaOtel = labelSets(otel,
						PrometheusNaming.OPENTELEMETRY.name(definition) + suffix, (sample) -> true);
				if (!viaMicrometer.isEmpty()) {
					compared.add(definition.name());
				}
				if (!viaMicrometer.equals(viaOtel)) {
					mismatches.put(PrometheusNaming.MICROMETER.name(definition) + suffix,
							"Micrometer only " + difference(viaMicrometer, viaOtel) + ", OpenTelemetry only "
									+ difference(viaOtel, viaMicrometer));
				}
			}
		}
		return new Parity(compared, mismatches);
	}

	/**
	 * The series of one job at one instant whose names a naming rule gives the catalog, by
	 * name, from one query.
	 */
	private Map<String, List<Sample>> series(String job, String time,
			Function<MeterDefinition, String> naming) throws Exception {
		List<String> names = new ArrayList<>();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			String name = naming.apply(definition);
			if (name == null) {
				continue;
			}
			if (definition.kind() == MeterKind.TIMER) {
				HISTOGRAM_SERIES.forEach((suffix) -> names.add(name + suffix));
			}
			else {
				names.add(name);
			}
		}
		String query = "{__name__=~\"" + String.join("|", names) + "\",job=\"" + job + "\"}";
		Map<String, List<Sample>> series = new TreeMap<>();
		for (JsonNode result : this.prometheus.api("/api/v1/query?time=" + time + "&query="
				+ URLEncoder.encode(query, StandardCharsets.UTF_8)).get("result")) {
			Map<String, String> labels = new TreeMap<>();
			result.get("metric").properties().forEach((label) -> {
				if (!pathOnly(label.getKey())) {
					labels.put(label.getKey(), label.getValue().asString());
				}
			});
			series.computeIfAbsent(result.get("metric").get("__name__").asString(), (name) -> new ArrayList<>())
				.add(new Sample(labels, Double.parseDouble(result.get("value").get(1).asString())));
		}
		return series;
	}

	private static Set<Map<String, String>> labelSets(Map<String, List<Sample>> series, String name,
			Predicate<Sample> filter) {
		Set<Map<String, String>> sets = new HashSet<>();
		for (Sample sample : series.getOrDefault(name, List.of())) {
			if (filter.test(sample)) {
				sets.add(sample.labels());
			}
		}
		return sets;
	}

	private static Map<String, String> withoutLe(Map<String, String> labels) {
		Map<String, String> without = new TreeMap<>(labels);
		without.remove("le");
		return without;
	}

	private static Set<String> difference(Set<Map<String, String>> sets, Set<Map<String, String>> minus) {
		Set<String> difference = new TreeSet<>();
		sets.stream().filter((labels) -> !minus.contains(labels)).forEach((labels) -> difference.add(labels.toString()));
		return difference;
	}

	/** Micrometer label sets as the OpenTelemetry path writes them. */
	private static Set<Map<String, String>> otelLabels(Set<Map<String, String>> micrometer) {
		Set<Map<String, String>> translated = new HashSet<>();
		for (Map<String, String> labels : micrometer) {
			Map<String, String> otel = new TreeMap<>();
			labels.forEach((key, value) -> otel.put(key.equals("le") ? key
					: PrometheusNaming.OPENTELEMETRY.fromMicrometer(key),
					key.equals("le") ? value : PrometheusNaming.OPENTELEMETRY.fromMicrometer(key, value)));
			translated.add(otel);
		}
		return translated;
	}

	/**
	 * Whether a label belongs to one path only: Micrometer's common tag
	 * ({@code management.metrics.tags}), OpenTelemetry's instrumentation scope, Prometheus's
	 * target labels.
	 */
	private static boolean pathOnly(String label) {
		return label.equals("__name__") || label.equals("application") || label.startsWith("otel_scope_")
				|| label.equals("job") || label.equals("instance");
	}

	/**
	 * The path's Grafana dashboard's variable and every panel query, as Grafana would send
	 * them for the demo, return series; a panel that needs a newer JDK ("Needs JDK 21+.") is
	 * skipped on an older one.
	 */
	private void assertEveryDashboardQueryReturnsData(Scraped path) throws Exception {
		JsonNode dashboard = JSON.readTree(Files.readString(Path.of("../config-templates/grafana/" + path.dashboard)));
		String variable = "$" + path.variable;
		for (JsonNode templated : dashboard.get("templating").get("list")) {
			if (templated.get("name").asString().equals(path.variable)) {
				// label_values(metric, label), as Grafana asks Prometheus for it.
				Matcher values = Pattern.compile("label_values\\((\\w+), (\\w+)\\)")
					.matcher(templated.get("definition").asString());
				assertThat(values.matches()).as(templated.get("definition").asString()).isTrue();
				JsonNode labelValues = this.prometheus
					.api("/api/v1/label/" + values.group(2) + "/values?match[]=" + values.group(1));
				assertThat(labelValues.valueStream().map(JsonNode::asString)).as(path.dashboard + " " + variable)
					.contains(path.value);
			}
		}
		int checked = 0;
		for (JsonNode panel : dashboard.get("panels")) {
			Matcher jdk = Pattern.compile("Needs JDK (\\d+)\\+").matcher(panel.get("description").asString());
			if (jdk.find() && Runtime.version().feature() < Integer.parseInt(jdk.group(1))) {
				continue;
			}
			for (JsonNode target : panel.get("targets")) {
				awaitQuery(target.get("expr")
					.asString()
					.replace(variable, path.value)
					.replace("$__rate_interval", "1m"));
				checked++;
			}
		}
		assertThat(checked).as(path.dashboard).isGreaterThanOrEqualTo(9);
	}

	private void startPrometheus() throws Exception {
		StringBuilder ruleFiles = new StringBuilder();
		for (Scraped path : Scraped.values()) {
			HttpResponse<String> rules = send("GET", "http://127.0.0.1:" + this.port + "/actuator/prometheusrules"
					+ path.rulesQuery);
			assertThat(rules.statusCode()).as(rules.body()).isEqualTo(200);
			Files.writeString(this.dir.resolve(path.job + ".rules.yml"), rules.body());
			ruleFiles.append("  - ").append(path.job).append(".rules.yml\n");
		}
		this.prometheus = PrometheusServer.start(this.dir, """
				global:
				  scrape_interval: 1s
				  evaluation_interval: 1s
				rule_files:
				%s\
				scrape_configs:
				  - job_name: %s
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ["127.0.0.1:%d"]
				  - job_name: %s
				    metrics_path: /metrics
				    static_configs:
				      - targets: ["127.0.0.1:%d"]
				""".formatted(ruleFiles, MICROMETER_JOB, this.port, OTEL_JOB, this.otelPort));
	}

	private void awaitQuery(String query) throws Exception {
		JsonNode result = null;
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (System.nanoTime() < deadline) {
			result = this.prometheus.query(query);
			if (!result.isEmpty()) {
				return;
			}
			Thread.sleep(500);
		}
		throw new AssertionError(
				"No series for " + query + " within " + PATIENCE + ": " + result + "\n" + this.prometheus.log());
	}

	/**
	 * Per path, alert name and executor or pool of every alert seen firing, once each
	 * expected one has on each path: a short condition (a burst's saturation) may have passed
	 * before an alert held for its {@code for} fires.
	 */
	private Map<Scraped, Set<String>> awaitFiring(Set<String> expected) throws Exception {
		Map<Scraped, Set<String>> firing = new EnumMap<>(Scraped.class);
		for (Scraped path : Scraped.values()) {
			firing.put(path, new TreeSet<>());
		}
		long deadline = System.nanoTime() + PATIENCE.plus(LONGEST_FOR).toNanos();
		while (System.nanoTime() < deadline) {
			for (JsonNode alert : this.prometheus.api("/api/v1/alerts").get("alerts")) {
				JsonNode labels = alert.get("labels");
				if (alert.get("state").asString().equals("firing")) {
					Scraped path = Scraped.of(labels.get("job").asString());
					String name = path.naming.label(ThreadLensMeters.NAME);
					String pool = path.naming.label(ThreadLensMeters.POOL);
					String of = labels.has(name) ? labels.get(name).asString()
							: labels.has(pool) ? labels.get(pool).asString() : "";
					firing.get(path).add(labels.get("alertname").asString() + (of.isEmpty() ? "" : "/" + of));
				}
			}
			if (firing.values()
				.stream()
				.allMatch((alerts) -> alerts.stream().map((alert) -> alert.split("/")[0]).toList().containsAll(expected))) {
				return firing;
			}
			Thread.sleep(500);
		}
		throw new AssertionError("Fired " + firing + ", expected " + expected + " on each path within "
				+ PATIENCE.plus(LONGEST_FOR));
	}

	/** Per rule file, per alerting rule, the {@code for} Prometheus loaded, in seconds. */
	private Map<String, Map<String, Long>> forSeconds() throws Exception {
		Map<String, Map<String, Long>> durations = new TreeMap<>();
		for (JsonNode group : this.prometheus.api("/api/v1/rules?type=alert").get("groups")) {
			for (JsonNode rule : group.get("rules")) {
				durations.computeIfAbsent(group.get("file").asString(), (file) -> new TreeMap<>())
					.put(rule.get("name").asString(), rule.get("duration").asLong());
			}
		}
		return durations;
	}

	/** The state of an alerting rule in each rule file that has it. */
	private List<String> ruleStates(String alert) throws Exception {
		List<String> states = new ArrayList<>();
		for (JsonNode group : this.prometheus.api("/api/v1/rules?type=alert").get("groups")) {
			for (JsonNode rule : group.get("rules")) {
				if (rule.get("name").asString().equals(alert)) {
					states.add(rule.get("state").asString());
				}
			}
		}
		return states;
	}

	private HttpResponse<String> send(String method, String url) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url))
			.timeout(Duration.ofSeconds(30))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The two paths Prometheus reads the demo through: the job that scrapes each, the rules in
	 * its names, which read that job's series only, and its dashboard with the value of the
	 * variable that chooses the demo.
	 */
	private enum Scraped {

		/** {@code /actuator/prometheus}, with the rules the demo serves as configured: its application tag. */
		MICROMETER(PrometheusNaming.MICROMETER, MICROMETER_JOB, "", "threadlens-dashboard.json", "application",
				"threadlens-demo"),

		/** The OpenTelemetry exporter, with the rules asked for in its names and for its job. */
		OPENTELEMETRY(PrometheusNaming.OPENTELEMETRY, OTEL_JOB, "?naming=opentelemetry&selector="
				+ URLEncoder.encode("{job=\"" + OTEL_JOB + "\"}", StandardCharsets.UTF_8),
				"threadlens-dashboard-otel.json", "job", OTEL_JOB);

		private final PrometheusNaming naming;

		private final String job;

		private final String rulesQuery;

		private final String dashboard;

		private final String variable;

		private final String value;

		Scraped(PrometheusNaming naming, String job, String rulesQuery, String dashboard, String variable,
				String value) {
			this.naming = naming;
			this.job = job;
			this.rulesQuery = rulesQuery;
			this.dashboard = dashboard;
			this.variable = variable;
			this.value = value;
		}

		static Scraped of(String job) {
			return Arrays.stream(values())
				.filter((path) -> path.job.equals(job))
				.findFirst()
				.orElseThrow(() -> new AssertionError("An alert of no ThreadLens job: " + job));
		}

		/** The job's series with one tag value, in this path's names. */
		Selector selector(String tagKey, String value) {
			return Selector.parse("{job=\"" + this.job + "\"," + this.naming.label(tagKey) + "=\""
					+ this.naming.value(tagKey, value) + "\"}");
		}

	}

	/** One series at the query's instant: its labels, path-only ones left out, and its value. */
	private record Sample(Map<String, String> labels, double value) {

	}

	/** The catalog entries compared, and per series name how the label sets differ. */
	private record Parity(Set<String> compared, Map<String, String> mismatches) {

	}

}
