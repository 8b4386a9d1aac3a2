package io.github.threadlens.rules;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.testsupport.Promtool;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The rule file checked by promtool, default and tuned; names derived from the catalog as
 * Micrometer's Prometheus registry writes them.
 */
class ThreadLensRulesTests {

	@TempDir
	Path dir;

	@Test
	void defaultRulesPassPromtool() throws Exception {
		assertPromtoolAccepts(RuleYaml.ruleFile(new ThreadLensRules(Selector.NONE, Map.of(), Map.of()).groups()));
	}

	@Test
	void tunedRulesPassPromtoolAndCarryTheTuning() throws Exception {
		AlertSettings queueWait = new AlertSettings(true, 0.25, Duration.ofSeconds(90), "page",
				Map.of("team", "payments"), Map.of("summary", "Queue wait of {{ $labels.name }} is high: \"act\""),
				"https://runbooks.example.com/queue-wait");
		AlertSettings liveThreads = new AlertSettings(false, 1, Duration.ZERO, "warning", Map.of(), Map.of(), "");
		ThreadLensRules rules = new ThreadLensRules(Selector.parse("{application=\"orders\", env!~\"dev|test\"}"),
				Map.of(ThreadLensAlert.QUEUE_WAIT, queueWait, ThreadLensAlert.LIVE_THREADS, liveThreads),
				Map.of("owner", "orders"));
		String yaml = RuleYaml.ruleFile(rules.groups());
		assertPromtoolAccepts(yaml);
		assertThat(yaml).contains(
				"histogram_quantile(0.99, rate(executor_idle_seconds_bucket{application=\\\"orders\\\",env!~\\\"dev|test\\\"}[5m])) > 0.25")
			.contains("for: \"1m30s\"")
			.contains("severity: \"page\"")
			.contains("team: \"payments\"")
			.contains("owner: \"orders\"")
			.contains("runbook_url: \"https://runbooks.example.com/queue-wait\"")
			.contains("summary: \"Queue wait of {{ $labels.name }} is high: \\\"act\\\"\"")
			.doesNotContain("ThreadLensLiveThreadsHigh")
			.doesNotContain("(jvm_threads_pool_states_threads)");
	}

	@Test
	void operatorFormatIsAPrometheusRuleWhoseSpecPassesPromtool() throws Exception {
		String yaml = RuleYaml.prometheusRule(new ThreadLensRules(Selector.NONE, Map.of(), Map.of()).groups(),
				"orders-threadlens", "monitoring", Map.of("release", "kube-prometheus-stack"));
		assertThat(yaml).startsWith("apiVersion: \"monitoring.coreos.com/v1\"\nkind: \"PrometheusRule\"\n")
			.contains("  name: \"orders-threadlens\"\n  namespace: \"monitoring\"\n")
			.contains("    release: \"kube-prometheus-stack\"\n");
		// promtool reads a plain rule file: the spec, one level out.
		String spec = yaml.substring(yaml.indexOf("spec:\n") + "spec:\n".length())
			.lines()
			.map((line) -> line.substring(2))
			.reduce("", (all, line) -> all + line + "\n");
		assertPromtoolAccepts(spec);
	}

	@Test
	void namesAreWhatMicrometersPrometheusRegistryWrites() {
		PrometheusNamingConvention convention = new PrometheusNamingConvention();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			Meter.Type type = switch (definition.kind()) {
				case GAUGE -> Meter.Type.GAUGE;
				case COUNTER -> Meter.Type.COUNTER;
				case TIMER -> Meter.Type.TIMER;
			};
			String expected = convention.name(definition.name(), type, definition.baseUnit());
			if (definition.kind() == MeterKind.COUNTER && !expected.endsWith("_total")) {
				expected = expected + "_total";
			}
			assertThat(PrometheusNames.of(definition)).as(definition.name()).isEqualTo(expected);
		}
	}

	@Test
	void selectorsThatAreNotLabelMatchersAreRefused() {
		assertThat(Selector.parse(" { a=\"1\" , b=~\"x,y\" } ").matchers()).containsExactly("a=\"1\"", "b=~\"x,y\"");
		assertThat(Selector.parse("").matchers()).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse("application=\"orders\""));
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse("{application=orders}"));
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse("{a=\"1\"} or vector(1) > {b=\"2\"}"));
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse("{a=\"1\nb\"}"));
		assertThatIllegalArgumentException().isThrownBy(() -> Selector.parse("{1a=\"1\"}"));
	}

	@Test
	void selectorsInAnyOfPromQlsQuotesAreWrittenInDoubleQuotes() {
		assertThat(Selector.parse("{a='it\\'s', b=~`\\d+`, c!=\"\\u00e9\\t\"}").matchers())
			.containsExactly("a=\"it's\"", "b=~\"\\\\d+\"", "c!=\"é\\t\"");
	}

	@Test
	void regularExpressionsMustMeanTheSameToRe2() {
		assertThat(Selector.parse("{a=~`(?i)x(?:y|z)*?[^a-z\\d]\\pL\\p{Lu}{2,3}\\x{41}`}").matchers()).hasSize(1);
		for (String regex : List.of("x(?=y)", "(?<n>x)", "(x)\\1", "x*+", "(?>x)", "[a-z&&[^b]]", "\\p{Lower}",
				"\\v", "\\Z", "\\h", "(?U)x", "(")) {
			assertThatIllegalArgumentException().as(regex).isThrownBy(() -> Selector.parse("{a=~`" + regex + "`}"));
		}
	}

	@Test
	void goTemplatesArePassedOrRefusedAsPrometheusParsesThem() {
		for (String valid : List.of("{{ $labels.pool }} at {{ $value | humanize }}", "{{ if gt $value 1.0 }}a{{ else if true }}b{{ else }}c{{ end }}",
				"{{- $x := .Labels.pool -}}{{ $x }}", "{{ range $i, $e := $labels }}{{ $i }}{{ end }}", "{{/* c */}}",
				"}} and {{ \"}}\" }}", "{{ printf \"%.2f\" (humanize $value) }}")) {
			GoTemplateSyntax.check(valid);
		}
		for (String invalid : List.of("{{ $value", "{{ end }}", "{{ .Unclosed", "{{ }}", "{{ if $value }}", "{{ $y }}",
				"{{ nosuch }}", "{{ define \"x\" }}{{ end }}", "{{ else }}", "{{ if 1 }}{{ else }}{{ else }}{{ end }}",
				"{{ ( ) }}", "{{ $value | }}", "{{/* open }}")) {
			assertThatIllegalArgumentException().as(invalid).isThrownBy(() -> GoTemplateSyntax.check(invalid));
		}
	}

	private void assertPromtoolAccepts(String yaml) throws Exception {
		File file = this.dir.resolve("rules.yml").toFile();
		Files.writeString(file.toPath(), yaml, StandardCharsets.UTF_8);
		Promtool.Result result = Promtool.checkRules(file);
		assertThat(result.exitCode()).as(result.output() + "\n" + yaml).isZero();
	}

}
