package io.github.threadlens.actuate;

import java.io.File;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.threadlens.testsupport.Promtool;
import io.github.threadlens.testsupport.Scrapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/prometheusrules} over HTTP, tuned from properties as a user tunes it; what
 * it serves is checked by promtool.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=prometheusrules",
				"spring.web.error.include-message=always", "threadlens.alerts.selector={application=\"orders\"}",
				"threadlens.alerts.labels.team=payments", "threadlens.alerts.rules.queue-wait.threshold=0.5",
				"threadlens.alerts.rules.queue-wait.for=2m", "threadlens.alerts.rules.live-threads.enabled=false",
				"threadlens.alerts.rules.deadlock.runbook-url=https://runbooks.example.com/deadlock",
				"threadlens.alerts.operator.namespace=monitoring", "threadlens.alerts.operator.labels.release=prom" })
class PrometheusRulesEndpointIntegrationTests {

	@LocalServerPort
	private int port;

	@TempDir
	Path dir;

	@Test
	void servesTheTunedRuleFileAsYaml() throws Exception {
		HttpResponse<String> response = Scrapes.get(this.port, "/actuator/prometheusrules");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/yaml"));
		assertThat(response.body()).startsWith("groups:\n")
			.contains("rate(executor_idle_seconds_bucket{application=\\\"orders\\\"}[5m])) > 0.5")
			.contains("team: \"payments\"")
			.contains("runbook_url: \"https://runbooks.example.com/deadlock\"")
			.doesNotContain("ThreadLensLiveThreadsHigh");
		assertPromtoolAccepts(response.body());
	}

	@Test
	void servesAPrometheusRuleForTheOperator() throws Exception {
		HttpResponse<String> response = Scrapes.get(this.port, "/actuator/prometheusrules?format=operator");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("kind: \"PrometheusRule\"")
			.contains("  name: \"threadlens-rules\"\n  namespace: \"monitoring\"\n")
			.contains("    release: \"prom\"");
	}

	@Test
	void servesTheRulesInOpenTelemetrysNamesForAnotherSelector() throws Exception {
		HttpResponse<String> response = Scrapes.get(this.port, "/actuator/prometheusrules?naming=opentelemetry&selector="
				+ URLEncoder.encode("{job=\"orders\"}", StandardCharsets.UTF_8));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body())
			.contains("rate(jvm_executor_task_wait_duration_seconds_bucket{job=\\\"orders\\\"}[5m])) > 0.5")
			.contains("Executor {{ $labels.jvm_executor_name }} rejects tasks")
			.doesNotContain("application=");
		assertPromtoolAccepts(response.body());
	}

	private void assertPromtoolAccepts(String served) throws Exception {
		File rules = this.dir.resolve("rules.yml").toFile();
		Files.writeString(rules.toPath(), served, StandardCharsets.UTF_8);
		Promtool.Result result = Promtool.checkRules(rules);
		assertThat(result.exitCode()).as(result.output()).isZero();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			format=json       | Parameter 'format' must be 'prometheus' or 'operator', was 'json'
			naming=otel       | Parameter 'naming' must be 'micrometer' or 'opentelemetry', was 'otel'
			selector=job%3Dx  | Parameter 'selector' is not label matchers in braces
			""")
	void aBadParameterIsABadRequestThatSaysWhy(String query, String reason) throws Exception {
		HttpResponse<String> response = Scrapes.get(this.port, "/actuator/prometheusrules?" + query);
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains(reason);
	}

	@SpringBootApplication
	static class RulesApplication {

	}

}
