package io.github.threadlens.autoconfigure;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.FreePorts;
import io.github.threadlens.testsupport.OtlpReceiver;
import io.github.threadlens.testsupport.Scrapes;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.task.AsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Applications run with the OpenTelemetry Java agent ({@code -javaagent}, in a JVM of their
 * own, the jar the build copies) and no {@code OpenTelemetry} bean: ThreadLens publishes
 * through the agent's global {@code OpenTelemetry}, and the agent's exporter, OTLP to a real
 * receiver or its Prometheus endpoint scraped over HTTP, carries each ThreadLens series
 * exactly once, in the scope {@code io.github.threadlens} and in no other; the one start-up
 * line names the OpenTelemetry path. The agent's Micrometer bridge, off by default, carries
 * the Micrometer path's copy too where it is switched on, and the line then warns.
 * <p>
 * Where the OpenTelemetry API predates {@code GlobalOpenTelemetry.isSet()} (1.55, the one
 * Spring Boot 4.0 manages), ThreadLens cannot find the agent's global without setting one:
 * there the same set-ups carry none of its series through the OpenTelemetry path, and the
 * line says the path is off.
 */
class JavaAgentEndToEndTests {

	/**
	 * Whether ThreadLens can find the agent's global: this OpenTelemetry API has
	 * {@code GlobalOpenTelemetry.isSet()}. Read from the API, not from the condition that uses it.
	 */
	private static final boolean AGENT_FINDABLE = Arrays.stream(GlobalOpenTelemetry.class.getMethods())
		.anyMatch((method) -> method.getName().equals("isSet"));

	private static final String SCOPE = ThreadLensViews.INSTRUMENTATION_SCOPE;

	private static final String POOL_STATES = ThreadLensMeters.THREADS_POOL_STATES.openTelemetryName();

	private static final String EXECUTOR = ThreadLensMeters.EXECUTOR.openTelemetryName();

	/** The Micrometer path's names, which the agent's Micrometer bridge carries. */
	private static final String MICROMETER_POOL_STATES = ThreadLensMeters.THREADS_POOL_STATES.name();

	private static final String MICROMETER_EXECUTOR = ThreadLensMeters.EXECUTOR.name();

	/** The Prometheus exporter's name for {@link #POOL_STATES}: OpenTelemetry's rules drop the unit. */
	private static final String PROMETHEUS_POOL_STATES = "jvm_thread_pool_thread_count";

	/** The semantic convention's thread count, which the agent's runtime telemetry publishes. */
	private static final String THREAD_COUNT = ThreadLensMeters.THREAD_COUNT.openTelemetryName();

	/** The agent's Micrometer bridge, which carries the Micrometer path where it is switched on. */
	private static final String MICROMETER_BRIDGE_SCOPE = "io.opentelemetry.micrometer-1.5";

	private static final String READY = "AgentApplication is ready";

	private static final String NOTICE = "ThreadLens series go out through";

	private static final String BOTH_PATHS = NOTICE + " Micrometer and through OpenTelemetry.";

	private static final String AGENT_NOT_FOUND = NOTICE + " Micrometer; the OpenTelemetry path is off: there is no "
			+ "OpenTelemetry bean and no global OpenTelemetry from the Java agent.";

	/** How long the child JVM may take to start: the agent instruments every class it loads. */
	private static final Duration STARTUP = Duration.ofMinutes(2);

	private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? \\S+$",
			Pattern.MULTILINE);

	private static final String SCOPE_LABEL = "otel_scope_name";

	private static final String SCOPE_LABEL_PREFIX = "otel_scope_";

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	private final OtlpReceiver receiver = new OtlpReceiver();

	@TempDir
	private Path directory;

	private Process application;

	private Path log;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.application != null) {
			this.application.destroy();
			if (!this.application.waitFor(30, TimeUnit.SECONDS)) {
				this.application.destroyForcibly();
			}
		}
		this.receiver.close();
	}

	@Test
	void otlpExporterCarriesEachSeriesOnceInThreadLensScope() throws Exception {
		startWithOtlp();
		int ready = this.receiver.requests().size();
		if (!AGENT_FINDABLE) {
			assertAgentNotFound(Awaits.until(() -> lastExportSince(ready), (export) -> !export.isEmpty()));
			return;
		}
		List<Series> export = Awaits.until(() -> lastExportSince(ready),
				(series) -> scopes(series, POOL_STATES).contains(SCOPE) && scopes(series, EXECUTOR).contains(SCOPE));
		assertThat(scopes(export, POOL_STATES)).containsExactly(SCOPE);
		assertThat(scopes(export, EXECUTOR)).containsExactly(SCOPE);
		assertThat(scopes(export, THREAD_COUNT)).as("jvm.thread.count, the agent's runtime telemetry's alone")
			.isNotEmpty()
			.doesNotContain(SCOPE);
		Set<String> threadLensMetrics = threadLensMetrics(export);
		List<ExportMetricsServiceRequest> requests = this.receiver.requests();
		assertThat(requests.subList(ready, requests.size()))
			.allSatisfy((request) -> assertOnceEach(series(request), threadLensMetrics));
		assertNotice(BOTH_PATHS);
	}

	@Test
	void prometheusExporterServesEachSeriesOnceInThreadLensScope() throws Exception {
		int port = FreePorts.free();
		start("otel.metrics.exporter=prometheus", "otel.exporter.prometheus.host=127.0.0.1",
				"otel.exporter.prometheus.port=" + port);
		if (!AGENT_FINDABLE) {
			assertAgentNotFound(Awaits.until(() -> scrape(port), (scrape) -> !scrape.isEmpty()));
			return;
		}
		List<Series> scrape = Awaits.until(() -> scrape(port),
				(series) -> scopes(series, PROMETHEUS_POOL_STATES).contains(SCOPE));
		assertThat(scopes(scrape, PROMETHEUS_POOL_STATES)).containsExactly(SCOPE);
		assertThat(scopes(scrape, THREAD_COUNT.replace('.', '_'))).isNotEmpty().doesNotContain(SCOPE);
		assertOnceEach(scrape, threadLensMetrics(scrape));
		assertNotice(BOTH_PATHS);
	}

	@Test
	void micrometerBridgeBesideThreadLensScopeCarriesEachSeriesTwiceAndWarns() throws Exception {
		startWithOtlp("otel.instrumentation.micrometer.enabled=true");
		int ready = this.receiver.requests().size();
		if (!AGENT_FINDABLE) {
			// The bridge is then the only way into the agent's exporter.
			List<Series> export = Awaits.until(() -> lastExportSince(ready),
					(series) -> scopes(series, MICROMETER_EXECUTOR).contains(MICROMETER_BRIDGE_SCOPE));
			assertThat(scopes(export, MICROMETER_POOL_STATES)).containsExactly(MICROMETER_BRIDGE_SCOPE);
			assertThat(scopes(export, POOL_STATES)).isEmpty();
			assertThat(copies(export, Set.of(MICROMETER_POOL_STATES, MICROMETER_EXECUTOR))).isNotEmpty()
				.allSatisfy((series, count) -> assertThat(count).as(series).isOne());
			assertNotice(NOTICE + " Micrometer (OpenTelemetry's Micrometer bridge); the OpenTelemetry path is off: "
					+ "there is no OpenTelemetry bean and no global OpenTelemetry from the Java agent.");
			return;
		}
		// The Micrometer path registers a pool's series when a collection first reads the pool,
		// so the bridge carries them from the export after that one on.
		List<Series> export = Awaits.until(() -> lastExportSince(ready),
				(series) -> scopes(series, EXECUTOR).contains(SCOPE)
						&& scopes(series, MICROMETER_EXECUTOR).contains(MICROMETER_BRIDGE_SCOPE)
						&& copies(series, Set.of(MICROMETER_POOL_STATES)).size() == copies(series, Set.of(POOL_STATES))
							.size());
		assertThat(scopes(export, POOL_STATES)).containsExactly(SCOPE);
		assertThat(scopes(export, MICROMETER_POOL_STATES)).containsExactly(MICROMETER_BRIDGE_SCOPE);
		// Once per path, each under its path's names.
		assertOnceEach(export, Set.of(POOL_STATES, EXECUTOR, MICROMETER_POOL_STATES, MICROMETER_EXECUTOR));
		assertThat(copies(export, Set.of(MICROMETER_POOL_STATES))).hasSameSizeAs(copies(export, Set.of(POOL_STATES)));
		assertNotice(NOTICE + " Micrometer (OpenTelemetry's Micrometer bridge) and through OpenTelemetry: the same "
				+ "series arrive twice at the exporter, once per path.");
		assertThat(log()).containsPattern("WARN[^\n]*ExportNotice");
	}

	/**
	 * The agent's global hands out a bridge to its SDK's meters whatever the SDK does with
	 * them, never the API's no-op meter: the agent's own setting tells that nothing leaves.
	 */
	@Test
	void anAgentThatExportsNoMetricsIsNoPath() throws Exception {
		start("otel.metrics.exporter=none");
		assertNotice(AGENT_FINDABLE ? NOTICE + " Micrometer; the OpenTelemetry path is off: the Java agent exports no "
				+ "metrics (otel.metrics.exporter=none)." : AGENT_NOT_FOUND);
	}

	/** What the agent's exporter carries where ThreadLens cannot find the agent's global. */
	private void assertAgentNotFound(List<Series> exported) throws IOException {
		assertThat(exported).as("the agent's own series").isNotEmpty();
		assertThat(exported).extracting(Series::scope).doesNotContain(SCOPE);
		assertNotice(AGENT_NOT_FOUND);
	}

	private void startWithOtlp(String... agentProperties) throws IOException, InterruptedException {
		List<String> properties = new ArrayList<>(List.of("otel.metrics.exporter=otlp",
				"otel.exporter.otlp.protocol=http/protobuf",
				"otel.exporter.otlp.metrics.endpoint=" + this.receiver.metricsUrl(),
				"otel.metric.export.interval=500"));
		properties.addAll(List.of(agentProperties));
		start(properties.toArray(String[]::new));
	}

	/**
	 * Start the application with the agent and wait until it has run its task.
	 * @param agentProperties the agent's configuration, as system properties
	 */
	private void start(String... agentProperties) throws IOException, InterruptedException {
		String agent = System.getProperty("threadlens.javaagent.jar");
		assertThat(agent).as("the agent jar, which the build copies (run through Maven)").isNotNull();
		assertThat(Path.of(agent)).isRegularFile();
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(
				List.of(java, "-javaagent:" + agent, "-Dotel.traces.exporter=none", "-Dotel.logs.exporter=none"));
		for (String property : agentProperties) {
			command.add("-D" + property);
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), AgentApplication.class.getName(),
				// No OTLP registry: the Micrometer path must not reach the receiver.
				"--management.otlp.metrics.export.enabled=false"));
		this.log = this.directory.resolve("application.log");
		this.application = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.log.toFile())
			.start();
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (!log().contains(READY) && this.application.isAlive() && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		assertThat(log()).as("the application's log").contains(READY);
	}

	private String log() throws IOException {
		return Files.readString(this.log, StandardCharsets.UTF_8);
	}

	private void assertNotice(String notice) throws IOException {
		String log = log();
		assertThat(log.split(NOTICE, -1)).as(log).hasSize(2);
		assertThat(log).as(log).contains(notice);
	}

	/** The series of the newest export that arrived after the first {@code ready}, none if none did. */
	private List<Series> lastExportSince(int ready) {
		List<ExportMetricsServiceRequest> requests = this.receiver.requests();
		return (requests.size() > ready) ? series(requests.get(requests.size() - 1)) : List.of();
	}

	private static List<Series> series(ExportMetricsServiceRequest request) {
		return OtlpReceiver.points(request)
			.stream()
			.map((point) -> new Series(point.scope(), point.metric(), point.attributes()))
			.toList();
	}

	/** The series the agent's Prometheus endpoint serves, none while it is not listening yet. */
	private static List<Series> scrape(int port) throws Exception {
		String exposition;
		try {
			exposition = Scrapes.get(port, "/metrics").body();
		}
		catch (IOException ex) {
			return List.of();
		}
		List<Series> series = new ArrayList<>();
		Matcher sample = SAMPLE.matcher(exposition);
		while (sample.find()) {
			Map<String, String> labels = new TreeMap<>();
			Matcher label = LABEL.matcher((sample.group(2) != null) ? sample.group(2) : "");
			while (label.find()) {
				labels.put(label.group(1), label.group(2));
			}
			String scope = labels.getOrDefault(SCOPE_LABEL, "");
			labels.keySet().removeIf((name) -> name.startsWith(SCOPE_LABEL_PREFIX));
			series.add(new Series(scope, sample.group(1), labels));
		}
		return series;
	}

	/** The scopes that publish a metric, by its name as it arrives. */
	private static Set<String> scopes(List<Series> series, String metric) {
		return series.stream()
			.filter((each) -> each.metric().equals(metric))
			.map(Series::scope)
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/** The names of the metrics that arrive in ThreadLens's scope. */
	private static Set<String> threadLensMetrics(List<Series> series) {
		return series.stream()
			.filter((each) -> each.scope().equals(SCOPE))
			.map(Series::metric)
			.collect(Collectors.toCollection(TreeSet::new));
	}

	/** Each series of those metrics once, whatever its scope: in a second scope it would be a second copy. */
	private static void assertOnceEach(List<Series> series, Set<String> metrics) {
		assertThat(copies(series, metrics)).isNotEmpty()
			.allSatisfy((identity, count) -> assertThat(count).as(identity).isOne());
	}

	/** How many times each series of those metrics arrived, by metric and attributes, whatever its scope. */
	private static Map<String, Long> copies(List<Series> series, Set<String> metrics) {
		return series.stream()
			.filter((each) -> metrics.contains(each.metric()))
			.collect(Collectors.groupingBy((each) -> each.metric() + each.attributes(), TreeMap::new,
					Collectors.counting()));
	}

	/**
	 * One series as it arrived, over OTLP or from Prometheus.
	 * @param scope the instrumentation scope's name
	 * @param metric the metric's name
	 * @param attributes its attributes (labels), less the scope's
	 */
	private record Series(String scope, String metric, Map<String, String> attributes) {
	}

	/**
	 * The application the agent instruments: ThreadLens and Spring Boot's auto-configuration
	 * as the test class path has them, less Boot's {@code OpenTelemetry}, so that the agent's
	 * is the only one, and less Micrometer Tracing's bridge to it, which needs that bean (the
	 * agent traces on its own). It runs one task on Boot's task executor, so that the
	 * executor's series exist, and then runs until it is stopped or its standard input closes,
	 * as it does when the test's JVM ends without stopping it.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
			"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" })
	static class AgentApplication {

		public static void main(String[] args) throws Exception {
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AgentApplication.class)
				.web(WebApplicationType.NONE)
				.run(args)) {
				context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class).submit(() -> "ran").get();
				System.out.println(READY);
				System.in.transferTo(OutputStream.nullOutputStream());
			}
		}

	}

}
