package io.github.threadlens.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Scrapes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.threadlens.rules.PrometheusNaming.MICROMETER;
import static io.github.threadlens.rules.PrometheusNaming.OPENTELEMETRY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo over real HTTP: scenarios put real threads into the states they claim, bad
 * parameters get a 400 with the reason, and the scrape shows the pools.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "threadlens.census.max-age=0s")
@ActiveProfiles("exemplars")
class DemoApplicationTests {

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Value("${" + TestPorts.OTEL_PROMETHEUS_PORT + "}")
	private int otelPort;

	@Autowired
	private ScenarioThreads scenarios;

	@DynamicPropertySource
	static void otelPrometheusExporter(DynamicPropertyRegistry registry) {
		TestPorts.otelPrometheusExporter(registry);
	}

	@AfterEach
	void stopTestPools() {
		this.scenarios.stop("test-blocked");
	}

	@Test
	void startupPoolsAreInTheirStatesAndScraped() throws Exception {
		awaitThreads("orders-worker-", Thread.State.WAITING, 4);
		awaitThreads("billing-io-", Thread.State.TIMED_WAITING, 3);
		awaitThreads("inventory-lock-", Thread.State.BLOCKED, 3);
		awaitThreads("reports-io-", Thread.State.RUNNABLE, 2);
		// The census a scrape reads may be one taken just before the last thread got there.
		String scrape = Awaits.until(() -> send("GET", "/actuator/prometheus").body(),
				(body) -> body.lines()
					.anyMatch((line) -> line.startsWith("jvm_threads_pool_states_threads{")
							&& line.contains("pool=\"reports-io\",state=\"runnable\"}") && line.endsWith(" 2.0")));
		assertThat(poolStates(scrape, "orders-worker", "waiting")).isEqualTo(4);
		assertThat(poolStates(scrape, "billing-io", "timed-waiting")).isEqualTo(3);
		assertThat(poolStates(scrape, "inventory-lock", "blocked")).isEqualTo(3);
		assertThat(poolStates(scrape, "reports-io", "runnable")).isEqualTo(2);
	}

	@Test
	void openTelemetryPrometheusExporterServesThePoolsOnItsOwnPort() throws Exception {
		awaitThreads("orders-worker-", Thread.State.WAITING, 4);
		String poolStates = OPENTELEMETRY.name(ThreadLensMeters.THREADS_POOL_STATES);
		String pool = OPENTELEMETRY.label(ThreadLensMeters.POOL);
		String scrape = Awaits.until(() -> Scrapes.get(this.otelPort, "/metrics").body(),
				(body) -> Scrapes.labelValues(body, poolStates, pool).contains("orders-worker"));
		assertThat(Scrapes.labelValues(scrape, poolStates, pool)).contains("orders-worker", "billing-io",
				"inventory-lock", "reports-io");
		assertThat(series(scrape, poolStates, pool + "=\"orders-worker\","
				+ OPENTELEMETRY.label(ThreadLensMeters.STATE) + "=\"waiting\"")).isEqualTo(4);
		assertThat(series(scrape, "target_info", "service_name=\"threadlens-demo\"")).isEqualTo(1);
	}

	@Test
	void scenarioStartsAndStopsRealThreads() throws Exception {
		HttpResponse<String> started = send("POST", "/scenarios/threads?pool=test-blocked&count=5&state=blocked");
		assertThat(started.statusCode()).isEqualTo(200);
		assertThat(started.body()).contains("\"pool\":\"test-blocked\"").contains("\"threads\":5")
			.contains("\"blocked\":5");
		awaitThreads("test-blocked-", Thread.State.BLOCKED, 5);
		assertThat(poolStates(send("GET", "/actuator/prometheus").body(), "test-blocked", "blocked")).isEqualTo(5);

		HttpResponse<String> more = send("POST", "/scenarios/threads?pool=test-blocked&count=2&state=TIMED_WAITING");
		assertThat(more.body()).contains("\"threads\":7").contains("\"timed-waiting\":2");
		assertThat(threadNames("test-blocked-")).contains("test-blocked-6", "test-blocked-7");

		assertThat(send("DELETE", "/scenarios/threads?pool=test-blocked").statusCode()).isEqualTo(200);
		assertThat(threadNames("test-blocked-")).isEmpty();
		assertThat(send("DELETE", "/scenarios/threads?pool=test-blocked").statusCode()).isEqualTo(404);
	}

	@Test
	void executorScenariosShowQueueWaitRunTimeAndRejections() throws Exception {
		HttpResponse<String> reports = send("POST", "/scenarios/executors/reports?tasks=40&millis=300");
		assertThat(reports.statusCode()).isEqualTo(200);
		assertThat(reports.body()).contains("\"accepted\":22").contains("\"rejected\":18");
		HttpResponse<String> export = send("POST", "/scenarios/executors/export?tasks=20&millis=300");
		assertThat(export.body()).contains("\"accepted\":12").contains("\"rejected\":8");
		assertThat(send("POST", "/scenarios/executors/crunch?tasks=5&millis=10").statusCode()).isEqualTo(200);
		assertThat(send("POST", "/scenarios/executors/image-resizer?tasks=4&millis=10").statusCode()).isEqualTo(200);
		assertThat(send("POST", "/scenarios/executors/async?tasks=3&millis=10").statusCode()).isEqualTo(200);
		String scrape = awaitCounts("executor_seconds_count", Map.of("reportsExecutor", 22.0, "exportPool", 12.0,
				"crunchPool", 5.0, "image-resizer", 4.0, "applicationTaskExecutor", 3.0));
		assertThat(series(scrape, "executor_rejected_tasks_total", "name=\"reportsExecutor\"")).isEqualTo(18);
		assertThat(series(scrape, "executor_rejected_tasks_total", "name=\"exportPool\"")).isEqualTo(8);
		assertThat(series(scrape, "executor_idle_seconds_count", "name=\"reportsExecutor\"")).isEqualTo(22);
		assertThat(series(scrape, "executor_parallelism_threads", "name=\"crunchPool\"")).isEqualTo(2);
		// Tomcat keeps its own request pool, whose requests ThreadLens cannot time.
		assertThat(scrape).doesNotContain("executor_seconds_count{application=\"threadlens-demo\",name=\"http-nio-");
		assertThat(scrape).contains("executor_idle_seconds_bucket{").contains("le=\"0.1\"");
		assertThat(scrape).contains("executor_pool_max_threads{application=\"threadlens-demo\",name=\"http-nio-");
	}

	/**
	 * A request that comes with a W3C trace submits tasks; on both paths the queue-wait and
	 * run-time buckets carry exemplars of that trace, though the workers run with no span.
	 * Requests repeat until the exemplars show: an exemplar already in a bucket is kept for a
	 * while before a newer one replaces it, and other tests' requests put some there.
	 */
	@Test
	void executorHistogramsCarryExemplarsOfTheSubmittingRequestsTrace() throws Exception {
		String traceId = UUID.randomUUID().toString().replace("-", "");
		HttpRequest traced = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/scenarios/executors/reports?tasks=2&millis=1"))
			.header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		List<Pattern> micrometer = exemplars(MICROMETER, traceId);
		List<Pattern> openTelemetry = exemplars(OPENTELEMETRY, traceId);
		List<String> scrapes = Awaits.until(() -> {
			assertThat(CLIENT.send(traced, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
			Thread.sleep(200);
			return List.of(Scrapes.openMetrics(this.port, "/actuator/prometheus").body(),
					Scrapes.openMetrics(this.otelPort, "/metrics").body());
		}, (both) -> micrometer.stream().allMatch((exemplar) -> exemplar.matcher(both.get(0)).find())
				&& openTelemetry.stream().allMatch((exemplar) -> exemplar.matcher(both.get(1)).find()));
		micrometer.forEach((exemplar) -> assertThat(scrapes.get(0)).containsPattern(exemplar));
		openTelemetry.forEach((exemplar) -> assertThat(scrapes.get(1)).containsPattern(exemplar));
	}

	/**
	 * A bucket of the reports executor's queue-wait and run-time histograms, in one path's
	 * names, with an OpenMetrics exemplar of the trace.
	 */
	private static List<Pattern> exemplars(PrometheusNaming naming, String traceId) {
		return Stream.of(ThreadLensMeters.EXECUTOR_IDLE, ThreadLensMeters.EXECUTOR)
			.map((timer) -> Pattern.compile("(?m)^" + naming.name(timer) + "_bucket\\{[^}]*"
					+ naming.label(ThreadLensMeters.NAME) + "=\"reportsExecutor\"[^}]*} \\S+ # \\{[^}]*trace_id=\""
					+ traceId + "\""))
			.toList();
	}

	@Test
	void lockContentionIsTimedFromJfrWithTheLocksClass() throws Exception {
		assertThat(send("POST", "/scenarios/contention?kind=lock&threads=3&millis=30").statusCode()).isEqualTo(200);
		try {
			String park = "jvm_threads_park_seconds_count{application=\"threadlens-demo\","
					+ "class=\"java.util.concurrent.locks.ReentrantLock$NonfairSync\",pool=\"contended-worker\"}";
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			String scrape = send("GET", "/actuator/prometheus").body();
			while (!scrape.contains(park) && System.nanoTime() < deadline) {
				Thread.sleep(200);
				scrape = send("GET", "/actuator/prometheus").body();
			}
			assertThat(scrape).contains(park);
		}
		finally {
			send("DELETE", "/scenarios/contention");
		}
		assertThat(send("POST", "/scenarios/contention?kind=spin").body()).contains("'kind'");
	}

	@Test
	void servesTheRuleTemplateThatPromtoolChecks() throws Exception {
		HttpResponse<String> rules = send("GET", "/actuator/prometheusrules");
		assertThat(rules.statusCode()).isEqualTo(200);
		assertThat(rules.body()).as("config-templates/prometheus/threadlens-rules.yml is the demo's default output")
			.isEqualTo(Files.readString(Path.of("../config-templates/prometheus/threadlens-rules.yml")));
	}

	@Test
	void virtualScenarioRunsOnVirtualThreadsWhereTheJdkHasThem() throws Exception {
		HttpResponse<String> virtual = send("POST", "/scenarios/executors/virtual?tasks=5&millis=10");
		if (Runtime.version().feature() < 21) {
			assertThat(virtual.statusCode()).isEqualTo(400);
			assertThat(virtual.body()).contains("JDK 21");
			return;
		}
		assertThat(virtual.statusCode()).isEqualTo(200);
		awaitCounts("executor_seconds_count", Map.of("virtualExecutor", 5.0));
		// A scrape is not atomic: one that read the gauge before the runs ended may still say 5.
		awaitCounts("jvm_threads_virtual_active_threads", Map.of("virtualExecutor", 0.0));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			pool=p&count=1&state=sleepy      | 'state'
			pool=p&count=0&state=waiting     | 'count'
			pool=p&count=10001&state=waiting | 'count'
			pool=p&count=abc&state=waiting   | 'count'
			pool=bad%20name&count=1&state=waiting | 'pool'
			count=1&state=waiting            | 'pool'
			""")
	void badParametersGetA400WithTheReason(String query, String parameter) throws Exception {
		HttpResponse<String> response = send("POST", "/scenarios/threads?" + query);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"error\"").contains(parameter);
	}

	@Test
	void deadlockScenarioTurnsHealthDownUntilBroken() throws Exception {
		assertThat(send("POST", "/scenarios/deadlock?confirm=false").statusCode()).isEqualTo(400);
		try {
			assertThat(send("POST", "/scenarios/deadlock?confirm=true").statusCode()).isEqualTo(200);
			awaitThreads("deadlock-", Thread.State.WAITING, 2);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			HttpResponse<String> health = send("GET", "/actuator/health");
			while (health.statusCode() != 503 && System.nanoTime() < deadline) {
				Thread.sleep(100);
				health = send("GET", "/actuator/health");
			}
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(health.body()).contains("\"deadlock\"").contains("deadlock-a").contains("deadlock-b");
			assertThat(series(send("GET", "/actuator/prometheus").body(), "jvm_threads_deadlocked_threads", ""))
				.isEqualTo(2);
		}
		finally {
			assertThat(send("DELETE", "/scenarios/deadlock").statusCode()).isEqualTo(200);
		}
		assertThat(threadNames("deadlock-")).isEmpty();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/scenarios/executors/nope?tasks=1           | 'executor'
			/scenarios/executors/reports?tasks=0        | 'tasks'
			/scenarios/executors/reports?tasks=10001    | 'tasks'
			/scenarios/executors/reports?tasks=1&millis=-1 | 'millis'
			/scenarios/executors/reports?tasks=x        | 'tasks'
			/scenarios/executors/reports                | 'tasks'
			""")
	void badExecutorScenarioParametersGetA400(String path, String parameter) throws Exception {
		HttpResponse<String> response = send("POST", path);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("\"error\"").contains(parameter);
	}

	private HttpResponse<String> send(String method, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofMinutes(1))
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private String awaitCounts(String metric, Map<String, Double> expected) throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		String scrape = send("GET", "/actuator/prometheus").body();
		while (!counts(scrape, metric, expected.keySet()).equals(expected) && System.nanoTime() < deadline) {
			Thread.sleep(50);
			scrape = send("GET", "/actuator/prometheus").body();
		}
		assertThat(counts(scrape, metric, expected.keySet())).isEqualTo(expected);
		return scrape;
	}

	private static Map<String, Double> counts(String scrape, String metric, Set<String> names) {
		return names.stream()
			.filter((name) -> scrape.contains(metric + "{application=\"threadlens-demo\",name=\"" + name + "\"}"))
			.collect(Collectors.toMap((name) -> name, (name) -> series(scrape, metric, "name=\"" + name + "\"")));
	}

	private static double series(String scrape, String metric, String labels) {
		Matcher matcher = Pattern
			.compile("^" + Pattern.quote(metric) + "\\{[^}]*" + Pattern.quote(labels) + "[^}]*} (\\S+)$",
					Pattern.MULTILINE)
			.matcher(scrape);
		assertThat(matcher.find()).as("series %s{%s}", metric, labels).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private static double poolStates(String scrape, String pool, String state) {
		return series(scrape, "jvm_threads_pool_states_threads", "pool=\"" + pool + "\",state=\"" + state + "\"");
	}

	private static void awaitThreads(String prefix, Thread.State state, int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		Map<Thread.State, Long> states = Map.of();
		while (System.nanoTime() < deadline) {
			states = Thread.getAllStackTraces()
				.keySet()
				.stream()
				.filter((thread) -> thread.getName().startsWith(prefix))
				.collect(Collectors.groupingBy(Thread::getState, Collectors.counting()));
			if (states.getOrDefault(state, 0L) == count) {
				return;
			}
			Thread.sleep(20);
		}
		throw new AssertionError(prefix + "* threads are " + states + ", expected " + count + " " + state);
	}

	private static List<String> threadNames(String prefix) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> name.startsWith(prefix))
			.toList();
	}

}
