package io.github.threadlens.autoconfigure;

import java.io.File;
import java.nio.file.Files;
import java.util.Map;

import io.github.threadlens.rules.RuleYaml;
import io.github.threadlens.rules.ThreadLensAlert;
import io.github.threadlens.testsupport.Promtool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files in {@code config-templates/} are read by real tools; each is checked by the tool
 * that will read it.
 */
class ConfigTemplatesTests {

	private static final File TEMPLATES = new File("../config-templates");

	@Test
	void prometheusScrapeConfigPassesPromtool() throws Exception {
		File config = new File(TEMPLATES, "prometheus/prometheus.yml");
		assertThat(config).isFile();
		Promtool.Result result = Promtool.checkConfig(config);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

	@Test
	void ruleTemplateIsTheEndpointsDefaultOutputAndPassesPromtool() throws Exception {
		File template = new File(TEMPLATES, "prometheus/threadlens-rules.yml");
		String defaults = RuleYaml.ruleFile(new AlertsProperties("", Map.of(), Map.of(),
				new AlertsProperties.Operator("threadlens-rules", "", Map.of()))
			.toRules()
			.groups());
		assertThat(template).as("regenerate it from GET /actuator/prometheusrules").hasContent(defaults);
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

}
