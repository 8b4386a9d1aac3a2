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
import io.github.threadlens.testsupport.OtelExporterScrapes;
import io.github.threadlens.testsupport.Promtool;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The rule file checked by promtool, default and tuned, in either path's names; names derived
 * from the catalog as Micrometer's Prometheus registry and OpenTelemetry's Prometheus
 * exporter write them.
 */
class ThreadLensRulesTests {

	@TempDir
	Path dir;

	@ParameterizedTest
	@EnumSource(PrometheusNaming.class)
	void defaultRulesPassPromtool(PrometheusNaming naming) throws Exception {
		assertPromtoolAccepts(RuleYaml.ruleFile(new ThreadLensRules(Selector.NONE, Map.of(), Map.of(), List.of("job")).groups(naming)));
	}

	@Test
	void tunedRulesPassPromtoolAndCarryTheTuning() throws Exception {
		AlertSettings queueWait = new AlertSettings(true, 0.25, Duration.ofSeconds(90), "page",
				Map.of("team", "payments"), Map.of("summary", "Queue wait of {{ $labels.name }} is high: \"act\""),
				"https://runbooks.example.com/queue-wait");
		AlertSettings liveThreads = new AlertSettings(false, 1, Duration.ZERO, "warning", Map.of(), Map.of(), "");
		ThreadLensRules rules = new ThreadLensRules(Selector.parse("{application=\"orders\", env!~\"dev|test\"}"),
				Map.of(ThreadLensAlert.QUEUE_WAIT, queueWait, ThreadLensAlert.LIVE_THREADS, liveThreads),
				Map.of("owner", "orders"), List.of("job"));
		String yaml = RuleYaml.ruleFile(rules.groups(PrometheusNaming.MICROMETER));
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
		String yaml = RuleYaml.prometheusRule(
				new ThreadLensRules(Selector.NONE, Map.of(), Map.of(), List.of("job")).groups(PrometheusNaming.MICROMETER),
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
	void namesAndLabelsAreWhatMicrometersPrometheusRegistryWrites() {
		PrometheusNamingConvention convention = new PrometheusNamingConvention();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			if (!definition.micrometer()) {
				continue;
			}
			Meter.Type type = switch (definition.kind()) {
				case GAUGE -> Meter.Type.GAUGE;
				case COUNTER -> Meter.Type.COUNTER;
				case TIMER -> Meter.Type.TIMER;
			};
			String expected = convention.name(definition.name(), type, definition.baseUnit());
			if (definition.kind() == MeterKind.COUNTER && !expected.endsWith("_total")) {
				expected = expected + "_total";
			}
			assertThat(PrometheusNaming.MICROMETER.name(definition)).as(definition.name()).isEqualTo(expected);
			for (String tagKey : definition.tagKeys()) {
				assertThat(PrometheusNaming.MICROMETER.label(tagKey)).isEqualTo(convention.tagKey(tagKey));
			}
		}
	}

	/**
	 * Every entry of the OpenTelemetry path recorded through its sinks and scraped from
	 * OpenTelemetry's own Prometheus exporter: each has a series of the name and labels the
	 * naming gives it.
	 */
	@Test
	void namesAndLabelsAreWhatOpenTelemetrysPrometheusExporterWrites() throws Exception {
		List<String> scrape = OtelExporterScrapes.everyEntry(ThreadLensRulesTests::tagValue).lines().toList();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			if (!PrometheusNaming.OPENTELEMETRY.publishes(definition)) {
				continue;
			}
			String name = PrometheusNaming.OPENTELEMETRY.name(definition)
					+ ((definition.kind() == MeterKind.TIMER) ? "_count" : "");
			List<String> labels = definition.tagKeys()
				.stream()
				.map((tagKey) -> PrometheusNaming.OPENTELEMETRY.label(tagKey) + "=\""
						+ PrometheusNaming.OPENTELEMETRY.value(tagKey, tagValue(tagKey)) + "\"")
				.toList();
			assertThat(scrape).as(definition.name())
				.anyMatch((line) -> withoutRatioSuffix(line, definition).startsWith(name + "{")
						&& labels.stream().allMatch(line::contains));
		}
	}

	/**
	 * A scraped line as the exporter Boot 4.1 manages writes it: older ones (Boot 4.0's 1.55)
	 * add {@code _ratio} for the unit {@code 1}.
	 */
	private static String withoutRatioSuffix(String line, MeterDefinition definition) {
		return (definition.baseUnit() == null) ? line.replaceFirst("^(\\w+?)_ratio((_total)?\\{)", "$1$2") : line;
	}

	/** A tag value whose spelling differs between the paths where it can. */
	private static String tagValue(String tagKey) {
		return switch (tagKey) {
			case ThreadLensMeters.STATE -> "timed-waiting";
			case ThreadLensMeters.DAEMON -> "true";
			case ThreadLensMeters.EXECUTOR_THREAD_STATE -> "active";
			default -> tagKey.replace('.', '-');
		};
	}

	@Test
	void entriesTheOpenTelemetryPathFoldsAreReadFromTheirSubstitutes() {
		Selector selector = Selector.parse("{job=\"orders\"}");
		PrometheusNaming otel = PrometheusNaming.OPENTELEMETRY;
		assertThat(otel.select(ThreadLensMeters.THREADS_LIVE, selector))
			.isEqualTo("sum without (jvm_thread_daemon, jvm_thread_state) (jvm_thread_count{job=\"orders\"})");
		assertThat(otel.select(ThreadLensMeters.THREADS_DAEMON, selector)).isEqualTo(
				"sum without (jvm_thread_daemon, jvm_thread_state) (jvm_thread_count{jvm_thread_daemon=\"true\",job=\"orders\"})");
		assertThat(otel.select(ThreadLensMeters.THREADS_STATES, selector, ThreadLensMeters.STATE, "timed-waiting"))
			.isEqualTo(
					"sum without (jvm_thread_daemon) (jvm_thread_count{jvm_thread_state=\"timed_waiting\",job=\"orders\"})");
		assertThat(otel.select(ThreadLensMeters.EXECUTOR_ACTIVE, selector)).isEqualTo(
				"sum without (jvm_executor_thread_state) (jvm_executor_thread_count{jvm_executor_thread_state=\"active\",job=\"orders\"})");
		assertThat(otel.select(ThreadLensMeters.EXECUTOR_POOL_SIZE, Selector.NONE))
			.isEqualTo("sum without (jvm_executor_thread_state) (jvm_executor_thread_count)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PrometheusNaming.MICROMETER.select(ThreadLensMeters.THREAD_COUNT, selector));
	}

	/**
	 * Each recording rule keeps exactly the labels its level names, as Prometheus's
	 * {@code level:metric:operations} convention reads: the aggregation labels, then the
	 * meter's tags in the path's labels, each once: an aggregation label that is an executor's
	 * tag is kept by the pools' rules too.
	 */
	@Test
	void recordingRulesSumByTheLabelsTheirLevelNames() {
		ThreadLensRules rules = new ThreadLensRules(Selector.NONE, Map.of(), Map.of(), List.of("cluster", "job", "name"));
		assertThat(recordings(rules, PrometheusNaming.MICROMETER)).containsExactly(
				"cluster_job_name_pool_state:jvm_threads_pool_states_threads:sum = sum by (cluster, job, name, pool, state) (jvm_threads_pool_states_threads)",
				"cluster_job_name_pool_reason:jvm_threads_blocking_threads:sum = sum by (cluster, job, name, pool, reason) (jvm_threads_blocking_threads)",
				"cluster_job_name_le:executor_idle_seconds_bucket:rate5m = sum by (cluster, job, name, le) (rate(executor_idle_seconds_bucket[5m]))",
				"cluster_job_name:executor_idle_seconds:p50_rate5m = histogram_quantile(0.5, sum by (cluster, job, name, le) (rate(executor_idle_seconds_bucket[5m])))",
				"cluster_job_name:executor_idle_seconds:p99_rate5m = histogram_quantile(0.99, sum by (cluster, job, name, le) (rate(executor_idle_seconds_bucket[5m])))",
				"cluster_job_name:executor_seconds:p99_rate5m = histogram_quantile(0.99, sum by (cluster, job, name, le) (rate(executor_seconds_bucket[5m])))",
				"cluster_job_name:executor_rejected_tasks:rate5m = sum by (cluster, job, name) (rate(executor_rejected_tasks_total[5m]))");
		assertThat(recordings(rules, PrometheusNaming.OPENTELEMETRY)).contains(
				"cluster_job_name_jvm_executor_name:executor_idle_seconds:p99_rate5m = histogram_quantile(0.99, sum by (cluster, job, name, jvm_executor_name, le) (rate(jvm_executor_task_wait_duration_seconds_bucket[5m])))");
	}

	private static List<String> recordings(ThreadLensRules rules, PrometheusNaming naming) {
		return rules.groups(naming)
			.stream()
			.flatMap((group) -> group.rules().stream())
			.filter(Rule.Recording.class::isInstance)
			.map((rule) -> ((Rule.Recording) rule).record() + " = " + ((Rule.Recording) rule).expr())
			.toList();
	}

	@Test
	void alertTemplatesReadTheLabelsOfTheNamingsPath() {
		String yaml = RuleYaml.ruleFile(new ThreadLensRules(Selector.NONE, Map.of(), Map.of(), List.of("job"))
			.groups(PrometheusNaming.OPENTELEMETRY));
		assertThat(yaml).contains("Executor {{ $labels.jvm_executor_name }} rejects tasks")
			.contains("Most threads of pool {{ $labels.jvm_thread_pool_name }} are BLOCKED")
			.contains("jvm_thread_pool_name=\\\"other\\\" in {{ $labels.threadlens_meter }}")
			.contains("record: \"job_jvm_thread_pool_name_jvm_thread_state:jvm_threads_pool_states_threads:sum\"")
			.doesNotContain("$labels.pool ")
			.doesNotContain("$labels.name ");
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
