package io.github.threadlens.autoconfigure;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.rules.Rule;
import io.github.threadlens.rules.RuleYaml;
import io.github.threadlens.rules.Selector;
import io.github.threadlens.rules.ThreadLensAlert;
import io.github.threadlens.rules.ThreadLensRules;
import io.github.threadlens.testsupport.Promtool;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files in {@code config-templates/} are read by real tools; each is checked by the tool
 * that will read it.
 */
class ConfigTemplatesTests {

	private static final File TEMPLATES = new File("../config-templates");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** Micrometer's common tag that the Micrometer path's dashboard chooses an application by. */
	private static final String APPLICATION = "application";

	/** The label Prometheus gives the OpenTelemetry exporter's target, which chooses it instead. */
	private static final String JOB = "job";

	@ParameterizedTest
	@ValueSource(strings = { "prometheus.yml", "prometheus-otel.yml" })
	void prometheusScrapeConfigsPassPromtool(String file) throws Exception {
		File config = new File(TEMPLATES, "prometheus/" + file);
		assertThat(config).isFile();
		Promtool.Result result = Promtool.checkConfig(config);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@ParameterizedTest
	@CsvSource({ "threadlens-rules.yml, MICROMETER", "threadlens-rules-otel.yml, OPENTELEMETRY" })
	void ruleTemplatesAreTheEndpointsDefaultOutputAndPassPromtool(String file, PrometheusNaming naming)
			throws Exception {
		File template = new File(TEMPLATES, "prometheus/" + file);
		String defaults = RuleYaml.ruleFile(defaultRules().groups(naming));
		assertThat(template).as("regenerate it from GET /actuator/prometheusrules?naming=" + naming.id())
			.hasContent(defaults);
		Promtool.Result result = Promtool.checkRules(template);
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@Test
	void everyAlertFiresAndStaysSilentAsItsPromtoolUnitTestsExpect() throws Exception {
		File tests = new File(TEMPLATES, "prometheus/threadlens-rules.test.yml");
		String text = Files.readString(tests.toPath());
		for (ThreadLensAlert alert : ThreadLensAlert.values()) {
			assertThat(text).as("a unit test of " + alert.alertName()).contains("alertname: " + alert.alertName());
		}
		Promtool.Result result = Promtool.testRules(tests);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	/**
	 * The OpenTelemetry path's alerts whose expressions differ in shape, not only in names:
	 * those that read an entry folded into a semantic convention, or a value spelled
	 * differently there.
	 */
	@Test
	void openTelemetryRulesFireAndStaySilentAsTheirPromtoolUnitTestsExpect() throws Exception {
		File tests = new File(TEMPLATES, "prometheus/threadlens-rules-otel.test.yml");
		String text = Files.readString(tests.toPath());
		for (ThreadLensAlert alert : List.of(ThreadLensAlert.POOL_SATURATED, ThreadLensAlert.BLOCKED_THREADS,
				ThreadLensAlert.LIVE_THREADS)) {
			assertThat(text).as("a unit test of " + alert.alertName()).contains("alertname: " + alert.alertName());
		}
		Promtool.Result result = Promtool.testRules(tests);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void federationConfigPassesPromtoolAndPullsOnlyRecordingRulesAndAlerts() throws Exception {
		File config = new File(TEMPLATES, "prometheus/federation.yml");
		Promtool.Result result = Promtool.checkConfig(config);
		assertThat(result.exitCode()).as(result.output()).isZero();
		String text = Files.readString(config.toPath());
		for (PrometheusNaming naming : PrometheusNaming.values()) {
			assertThat(text).as("federates the recording rules of the " + naming.id() + " path, and nothing else")
				.contains("'{__name__=~\"" + recordingRuleNames(naming) + "\"}'");
		}
		assertThat(text).as("federates ThreadLens's alerts").contains("'{__name__=\"ALERTS\",alertname=~\"ThreadLens.+\"}'");
		assertThat(ThreadLensAlert.values()).allMatch((alert) -> alert.alertName().startsWith("ThreadLens"));
	}

	@Test
	void remoteWriteConfigPassesPromtoolAndSendsOnlyRecordingRulesAndAlerts() throws Exception {
		File config = new File(TEMPLATES, "prometheus/remote-write.yml");
		Promtool.Result result = Promtool.checkConfig(config);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("1 rule files found");
		Map<String, Object> prometheus = new Yaml().load(Files.readString(config.toPath()));
		assertThat(prometheus.get("remote_write")).asInstanceOf(InstanceOfAssertFactories.LIST)
			.singleElement()
			.extracting((remoteWrite) -> ((Map<?, ?>) remoteWrite).get("write_relabel_configs"))
			.asInstanceOf(InstanceOfAssertFactories.LIST)
			.singleElement()
			.isEqualTo(Map.of("source_labels", List.of("__name__", "alertname"), "regex",
					"(?:" + recordingRuleNames(PrometheusNaming.MICROMETER) + "|"
							+ recordingRuleNames(PrometheusNaming.OPENTELEMETRY) + ");|ALERTS;ThreadLens.+",
					"action", "keep"));
	}

	/** The default recording rules' names as a regex that matches exactly them. */
	private static String recordingRuleNames(PrometheusNaming naming) {
		List<String> names = recordingRules(naming);
		assertThat(names).allMatch((name) -> name.matches("[a-zA-Z0-9_:]+"), "free of regex syntax");
		return String.join("|", names);
	}

	@Test
	void prometheusRuleTemplateIsTheOperatorOutputAndItsSpecPassesPromtool(@TempDir Path dir) throws Exception {
		String template = Files.readAllLines(new File(TEMPLATES, "kubernetes/prometheusrule.yml").toPath())
			.stream()
			.filter((line) -> !line.startsWith("#"))
			.map((line) -> line + "\n")
			.collect(Collectors.joining());
		assertThat(template).isEqualTo(RuleYaml.prometheusRule(defaultRules().groups(PrometheusNaming.MICROMETER),
				"threadlens-rules", "", Map.of("release", "kube-prometheus-stack")));
		Map<String, Object> object = new Yaml().load(template);
		Path spec = dir.resolve("spec.yml");
		Files.writeString(spec, new Yaml().dump(object.get("spec")));
		Promtool.Result result = Promtool.checkRules(spec.toFile());
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@ParameterizedTest
	@CsvSource({ "servicemonitor.yml, ServiceMonitor, endpoints", "podmonitor.yml, PodMonitor, podMetricsEndpoints" })
	void monitorsScrapeTheActuatorEndpoint(String file, String kind, String endpoints) throws Exception {
		Map<String, Object> object = new Yaml().load(Files.readString(new File(TEMPLATES, "kubernetes/" + file).toPath()));
		assertThat(object).containsEntry("apiVersion", "monitoring.coreos.com/v1").containsEntry("kind", kind);
		assertThat(object.get("metadata")).asInstanceOf(InstanceOfAssertFactories.MAP).containsKeys("name", "labels");
		Map<?, ?> spec = (Map<?, ?>) object.get("spec");
		assertThat(spec.get("selector")).asInstanceOf(InstanceOfAssertFactories.MAP).containsKey("matchLabels");
		assertThat((List<?>) spec.get(endpoints)).singleElement()
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("path", "/actuator/prometheus");
	}

	@ParameterizedTest
	@CsvSource({ "threadlens-dashboard.json, application", "threadlens-dashboard-otel.json, job" })
	void dashboardQueriesAreScopedToTheChosenApplication(String file, String variable) throws Exception {
		List<String> exprs = new ArrayList<>();
		for (JsonNode panel : JSON.readTree(Files.readString(new File(TEMPLATES, "grafana/" + file).toPath()))
			.get("panels")) {
			panel.get("targets").forEach((target) -> exprs.add(target.get("expr").asString()));
		}
		// Each query returning data against the demo app is checked by its end-to-end test.
		assertThat(exprs).hasSizeGreaterThanOrEqualTo(9)
			.allSatisfy((expr) -> assertThat(expr).contains(variable + "=\"$" + variable + "\""));
	}

	/**
	 * The OpenTelemetry path's dashboard is the Micrometer path's with every series, label
	 * and value in the names of OpenTelemetry's Prometheus exporter ({@link PrometheusNaming}),
	 * and the {@code job} Prometheus gives the exporter's target in place of Micrometer's
	 * {@code application} tag.
	 */
	@Test
	void openTelemetryDashboardIsTheDashboardInOpenTelemetrysNames() throws Exception {
		JsonNode expected = inOpenTelemetryNames(
				JSON.readTree(Files.readString(new File(TEMPLATES, "grafana/threadlens-dashboard.json").toPath())));
		File template = new File(TEMPLATES, "grafana/threadlens-dashboard-otel.json");
		if (!template.isFile() || !JSON.readTree(Files.readString(template.toPath())).equals(expected)) {
			// What it should be, to copy over it after a change to the Micrometer path's dashboard.
			Path rendered = Path.of("target", template.getName());
			Files.writeString(rendered, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(expected));
			throw new AssertionError(template + " is not threadlens-dashboard.json in OpenTelemetry's names: see "
					+ rendered.toAbsolutePath());
		}
	}

	private static JsonNode inOpenTelemetryNames(JsonNode dashboard) {
		ObjectNode otel = (ObjectNode) dashboard.deepCopy();
		otel.put("title", dashboard.get("title").asString() + " (OpenTelemetry)");
		otel.put("uid", dashboard.get("uid").asString() + "-otel");
		otel.put("description", dashboard.get("description").asString()
				+ " Series of OpenTelemetry's Prometheus exporter, chosen by the job Prometheus scrapes it as.");
		for (JsonNode variable : otel.get("templating").get("list")) {
			if (variable.get("name").asString().equals(APPLICATION)) {
				ObjectNode job = (ObjectNode) variable;
				job.put("name", JOB);
				job.put("label", "Job");
				job.put("definition", promQl(variable.get("definition").asString()));
				ObjectNode query = (ObjectNode) variable.get("query");
				query.put("query", promQl(query.get("query").asString()));
				query.put("refId", JOB);
			}
		}
		for (JsonNode panel : otel.get("panels")) {
			for (JsonNode target : panel.get("targets")) {
				ObjectNode query = (ObjectNode) target;
				query.put("expr", promQl(target.get("expr").asString()));
				query.put("legendFormat", promQl(target.get("legendFormat").asString()));
			}
		}
		return otel;
	}

	/**
	 * A query, or a legend, in OpenTelemetry's names: each series of the catalog, with its
	 * matchers, as {@link PrometheusNaming#OPENTELEMETRY} reads it; each label of a catalog tag
	 * as that path names it; {@code application} as {@code job}.
	 */
	private static String promQl(String micrometer) {
		Map<String, Function<Selector, String>> series = new HashMap<>();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			if (!definition.micrometer()) {
				continue;
			}
			String name = PrometheusNaming.MICROMETER.name(definition);
			if (definition.kind() == MeterKind.TIMER) {
				series.put(name + "_bucket", (selector) -> PrometheusNaming.OPENTELEMETRY.buckets(definition, selector));
				series.put(name + "_count", (selector) -> PrometheusNaming.OPENTELEMETRY.count(definition, selector));
			}
			else {
				series.put(name, (selector) -> PrometheusNaming.OPENTELEMETRY.select(definition, selector));
			}
		}
		Matcher token = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_:]*)(\\{[^}]*\\})?").matcher(micrometer);
		StringBuilder otel = new StringBuilder();
		while (token.find()) {
			Function<Selector, String> select = series.get(token.group(1));
			String replaced;
			if (select != null) {
				replaced = select.apply((token.group(2) != null) ? matchers(token.group(2)) : Selector.NONE);
			}
			else {
				assertThat(token.group(2)).as("a selector of a series outside the catalog in " + micrometer).isNull();
				replaced = label(token.group(1));
			}
			token.appendReplacement(otel, Matcher.quoteReplacement(replaced));
		}
		return token.appendTail(otel).toString();
	}

	/** Matchers such as {@code {application="$application",state="blocked"}} in OpenTelemetry's labels. */
	private static Selector matchers(String micrometer) {
		Matcher matcher = Pattern.compile("(\\w+)(=~|!~|!=|=)\"([^\"]*)\"").matcher(micrometer);
		List<String> otel = new ArrayList<>();
		while (matcher.find()) {
			String value = PrometheusNaming.OPENTELEMETRY.fromMicrometer(matcher.group(1), matcher.group(3))
				.replace("$" + APPLICATION, "$" + JOB);
			otel.add(label(matcher.group(1)) + matcher.group(2) + "\"" + value + "\"");
		}
		return Selector.parse("{" + String.join(",", otel) + "}");
	}

	private static String label(String micrometer) {
		return micrometer.equals(APPLICATION) ? JOB : PrometheusNaming.OPENTELEMETRY.fromMicrometer(micrometer);
	}

	private static List<String> recordingRules(PrometheusNaming naming) {
		return defaultRules().groups(naming)
			.stream()
			.flatMap((group) -> group.rules().stream())
			.filter(Rule.Recording.class::isInstance)
			.map((rule) -> ((Rule.Recording) rule).record())
			.toList();
	}

	private static ThreadLensRules defaultRules() {
		return new AlertsProperties("", null, Map.of(), List.of("job"), Map.of(), new AlertsProperties.Operator("threadlens-rules", "", Map.of()))
			.toRules();
	}

}
