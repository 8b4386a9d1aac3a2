package io.github.threadlens.autoconfigure;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.threadlens.rules.RuleFiles;
import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.rules.RuleGroup;
import io.github.threadlens.rules.RuleYaml;
import io.github.threadlens.testsupport.Promtool;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated {@code threadlens.alerts.*} settings: each either fails start-up with a message
 * naming a {@code threadlens.alerts} property, or yields a rule file that Prometheus's
 * {@code promtool check rules} accepts and a {@code PrometheusRule}, both reading back as the
 * rules they were written from.
 */
class HostileAlertSettingsTests {

	private static final List<String> TEMPLATE_PIECES = List.of("{{", "}}", "{{ ", " }}", "{{-", "-}}", "$value",
			"$labels", "$labels.pool", ".Labels.pool", "$x", "$x :=", "$", ".", "end", "if", "else", "with", "range",
			"define", "humanize", "humanizeDuration", "printf", "nosuchfunc", "|", "(", ")", " ", "\"", "\"%.2f\"", "'",
			"`", "\\", "/*", "*/", "1", "-1", "true", "nil", ",", "=", ":=", "pool", "x", "\n", "\u2028", "\u007f",
			"\ufffe", "\ud800", "é", "🙂", "#", ":", "&", "{", "}");

	private static final Map<String, String> OPERATOR_LABELS = Map.of("release", "prometheus");

	private static final AlertsProperties.Operator OPERATOR = new AlertsProperties.Operator("threadlens-rules", "",
			OPERATOR_LABELS);

	/** The default aggregation labels. */
	private static final List<String> JOB = List.of("job");

	private static final List<String> SELECTOR_PIECES = List.of("{", "}", "a", "app", "__name__", "1", "_", "=", "!=",
			"=~", "!~", "\"", "'", "`", "\\", "\\\\", "\\d", "\\\\d", "\\n", "\\x41", "\\u00e9", ".", "*", "+", "?",
			"(", ")", "[", "]", "(?=", "(?i)", "(?P<n>", "\\1", "\\p{L}", "\\p{Lower}", "|", "^", "$", ",", " ",
			"\u2028", "\u007f", "\ufffe", "é", "orders", "x,y");

	@Property(tries = 150)
	void selectors(@ForAll("selectors") String selector) throws Exception {
		check(() -> new AlertsProperties(selector, null, Map.of(), JOB, Map.of(), OPERATOR), OPERATOR_LABELS);
	}

	@Property(tries = 150)
	void labelNamesAndValues(@ForAll("labelNames") String name, @ForAll("texts") String value) throws Exception {
		check(() -> new AlertsProperties("", null, Map.of(name, value), JOB, Map.of(), OPERATOR), OPERATOR_LABELS);
	}

	@Property(tries = 150)
	void aggregationLabels(@ForAll("aggregationLabelLists") List<String> labels) throws Exception {
		check(() -> new AlertsProperties("", null, Map.of(), labels, Map.of(), OPERATOR), OPERATOR_LABELS);
	}

	@Property(tries = 150)
	void severities(@ForAll("texts") String severity) throws Exception {
		check(() -> alerts(new AlertsProperties.Alert(null, null, null, severity, Map.of(), Map.of(), null)),
				OPERATOR_LABELS);
	}

	@Property(tries = 150)
	void annotations(@ForAll("labelNames") String name, @ForAll("texts") String value) throws Exception {
		check(() -> alerts(new AlertsProperties.Alert(null, null, null, null, Map.of(), Map.of(name, value), null)),
				OPERATOR_LABELS);
	}

	@Property(tries = 150)
	void durationsAndRunbooks(@ForAll("durations") Duration forDuration, @ForAll("urls") String runbookUrl)
			throws Exception {
		check(() -> alerts(new AlertsProperties.Alert(null, null, forDuration, null, Map.of(), Map.of(), runbookUrl)),
				OPERATOR_LABELS);
	}

	@Property(tries = 150)
	void operatorLabels(@ForAll("kubernetesKeys") String key, @ForAll("kubernetesKeys") String value)
			throws Exception {
		Map<String, String> labels = Map.of(key, value);
		check(() -> new AlertsProperties("", null, Map.of(), JOB, Map.of(),
				new AlertsProperties.Operator("threadlens-rules", "", labels)), labels);
	}

	private static AlertsProperties alerts(AlertsProperties.Alert deadlock) {
		return new AlertsProperties("", null, Map.of(), JOB, Map.of("deadlock", deadlock), OPERATOR);
	}

	/**
	 * Settings are either refused naming a property, or served as rules promtool loads; both
	 * outcomes must occur, so that neither path is left untested by the generator.
	 */
	private static void check(Supplier<AlertsProperties> settings, Map<String, String> operatorLabels)
			throws Exception {
		AlertsProperties properties;
		try {
			properties = settings.get();
		}
		catch (InvalidConfigurationPropertyValueException ex) {
			assertThat(ex.getName()).startsWith("threadlens.alerts.");
			assertThat(ex.getReason()).isNotBlank();
			Statistics.collect("refused");
			Statistics.coverage((coverage) -> coverage.check("refused").percentage((share) -> share >= 5));
			return;
		}
		Statistics.collect("served");
		Statistics.coverage((coverage) -> coverage.check("served").percentage((share) -> share >= 5));
		List<RuleGroup> groups = properties.toRules().groups(PrometheusNaming.MICROMETER);
		String ruleFile = RuleYaml.ruleFile(groups);
		RuleFiles.assertReadsBackAs(ruleFile, groups);
		File file = File.createTempFile("rules", ".yml");
		try {
			Files.writeString(file.toPath(), ruleFile, StandardCharsets.UTF_8);
			Promtool.Result check = Promtool.checkRules(file);
			assertThat(check.exitCode()).as(check.output() + "\n" + ruleFile).isZero();
		}
		finally {
			file.delete();
		}
		RuleFiles.assertReadsBackAs(RuleYaml.prometheusRule(groups, "threadlens-rules", "", operatorLabels), groups,
				"threadlens-rules", operatorLabels);
	}

	@Provide
	Arbitrary<String> selectors() {
		return Arbitraries.oneOf(pieces(SELECTOR_PIECES, 12).map((body) -> "{" + body + "}"),
				pieces(SELECTOR_PIECES, 12), Arbitraries.strings().all().ofMaxLength(30),
				Arbitraries.of("{application=\"orders\"}", "{ a='x', b!~`\\d+|y` , }", "{a=~\"(?i)é\\\\.\\u00e9\"}",
						"{env!=\"\\\"dev\\\"\"}", "{a=~'[^a-z]\\\\pL\\\\p{Lu}+?'}", ""));
	}

	@Provide
	Arbitrary<String> texts() {
		return Arbitraries.oneOf(pieces(TEMPLATE_PIECES, 10), Arbitraries.strings().all().ofMaxLength(30),
				Arbitraries.of("{{ $labels.pool }} at {{ $value | humanize }}", "{{ if gt $value 1.0 }}many{{ else }}one{{ end }}",
						"{{- $x := .Labels.pool -}}{{ $x }}", "{{ printf \"%.2f\" $value }}", "{{/* note */}}plain", "payments"));
	}

	@Provide
	Arbitrary<Duration> durations() {
		return Arbitraries.oneOf(Arbitraries.longs().between(0, Long.MAX_VALUE).map(Duration::ofNanos),
				Arbitraries.longs().between(-1, 400L * 86_400_000).map(Duration::ofMillis),
				Arbitraries.of(Duration.ofSeconds(Long.MAX_VALUE), Duration.ofNanos(500_000), Duration.ZERO),
				Arbitraries.longs().between(1, 86_400).map(Duration::ofSeconds));
	}

	@Provide
	Arbitrary<String> urls() {
		return Arbitraries.oneOf(pieces(TEMPLATE_PIECES, 4).map((path) -> "https://runbooks.example.com/" + path),
				Arbitraries.of("javascript:alert(1)", "HTTP://x", "ftp://x", "https://x y", "//x", "",
						"https://runbooks.example.com/{{ $labels.pool }}"),
				Arbitraries.strings().all().ofMaxLength(20),
				Arbitraries.strings().alpha().numeric().withChars('-', '/').ofMaxLength(20)
					.map((path) -> "https://runbooks.example.com/" + path));
	}

	@Provide
	Arbitrary<String> labelNames() {
		return Arbitraries.oneOf(Arbitraries.of("team", "__name__", "__x", "1a", "a-b", "severity", "_ok"),
				Arbitraries.strings().all().ofMinLength(1).ofMaxLength(10));
	}

	/** Lists of label names, some naming a meter's own tag or {@code le}, which a rule keeps once. */
	@Provide
	Arbitrary<List<String>> aggregationLabelLists() {
		return Arbitraries.oneOf(labelNames(), Arbitraries.of("job", "cluster", "pool", "name", "le", "instance"))
			.list()
			.ofMaxSize(4);
	}

	@Provide
	Arbitrary<String> kubernetesKeys() {
		return Arbitraries.oneOf(Arbitraries.of("release", "app.kubernetes.io/part-of", "team", "a.b_c-d"),
				Arbitraries.of("release", "app.kubernetes.io/part-of", "example.com/x_", "/x", "a/b/c", "x".repeat(64),
						"Team_1", "-x", "x."),
				Arbitraries.strings().all().ofMinLength(1).ofMaxLength(10));
	}

	private static Arbitrary<String> pieces(List<String> pieces, int most) {
		return Arbitraries.of(pieces).list().ofMaxSize(most).map((list) -> String.join("", list));
	}

}
