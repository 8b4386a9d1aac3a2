package io.github.threadlens.autoconfigure;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.rules.Rule;
import io.github.threadlens.rules.RuleYaml;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files in {@code config-templates/} are read by real tools; each is checked by the tool
 * that will read it.
 */
class ConfigTemplatesTests {

	private static final File TEMPLATES = new File("../config-templates");

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

	@Test
	void federationConfigPassesPromtoolAndPullsOnlyRecordingRules() throws Exception {
		File config = new File(TEMPLATES, "prometheus/federation.yml");
		Promtool.Result result = Promtool.checkConfig(config);
		assertThat(result.exitCode()).as(result.output()).isZero();
		String text = Files.readString(config.toPath());
		assertThat(recordingRules(PrometheusNaming.OPENTELEMETRY))
			.as("recording rules are named alike on both paths, so that one federation serves both")
			.isEqualTo(recordingRules(PrometheusNaming.MICROMETER))
			.allSatisfy((record) -> assertThat(text).as("federates " + record).contains(record));
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

	@Test
	void dashboardQueriesAreScopedToTheChosenApplication() throws Exception {
		String json = Files.readString(new File(TEMPLATES, "grafana/threadlens-dashboard.json").toPath());
		List<String> exprs = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"")
			.matcher(json)
			.results()
			.map((match) -> match.group(1))
			.toList();
		// Each query returning data against the demo app is checked by its end-to-end test.
		assertThat(exprs).hasSizeGreaterThanOrEqualTo(9)
			.allSatisfy((expr) -> assertThat(expr).contains("application=\\\"$application\\\""));
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
		return new AlertsProperties("", null, Map.of(), Map.of(), new AlertsProperties.Operator("threadlens-rules", "", Map.of()))
			.toRules();
	}

}
