package io.github.threadlens.rules;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The YAML of rule files: exact values whatever they hold, and the same bytes for the same
 * rules.
 */
class RuleYamlTests {

	/**
	 * Strings a YAML writer gets wrong when it picks plain or single-quoted style. Unpaired
	 * surrogates are not among them: no UTF-8 document can carry one, and the properties
	 * refuse them.
	 */
	private static final List<String> HOSTILE = List.of("", " leading and trailing ", "a: b", "#comment",
			"- item", "? key", "{{ $labels.pool }} at {{ $value | humanize }}", "{a=\"1\"}", "[x]", "&anchor",
			"*alias", "!tag", "%directive", "@", "`", "'single' \"double\"", "back\\slash", "true", "null", "~",
			"0x1F", "1e3", "2024-01-01", "line\nbreak", "crlf\r\n", "tab\there", "\u0085next line",
			"\u2028line separator\u2029", "\u00a0no-break\u00a0", "\ufeffbom", "bell\u0007", "del\u007f", "é🙂", "\ufffe", "x".repeat(500) + " " + "y".repeat(500), "--- ", "...");

	@Test
	void hostileValuesReadBackExactly() {
		List<Rule> rules = HOSTILE.stream()
			.<Rule>map((text) -> new Rule.Alerting(text, text, Duration.ofSeconds(90), Map.of("severity", text),
					Map.of("summary", text, "description", text)))
			.toList();
		List<RuleGroup> groups = List.of(new RuleGroup("hostile", rules),
				new RuleGroup("recording", HOSTILE.stream().<Rule>map((text) -> new Rule.Recording(text, text)).toList()));
		RuleFiles.assertReadsBackAs(RuleYaml.ruleFile(groups), groups);
		for (String text : HOSTILE) {
			Map<String, String> labels = Map.of("release", text);
			RuleFiles.assertReadsBackAs(RuleYaml.prometheusRule(groups, text, "", labels), groups, text, labels);
		}
	}

	@Test
	void keysArePlainValuesDoubleQuotedAndNothingFolds() {
		String expr = "sum without (instance) (rate(x_total{a=\"b\"}[5m])) > " + "1 + ".repeat(100) + "1";
		String yaml = RuleYaml.ruleFile(List.of(new RuleGroup("g", List.of(new Rule.Alerting("A", expr,
				Duration.ofMinutes(5), Map.of("severity", "page"), Map.of("summary", "{{ $labels.pool }}: \"x\""))))));
		assertThat(yaml).isEqualTo("""
				groups:
				- name: "g"
				  rules:
				  - alert: "A"
				    expr: "%s"
				    for: "5m"
				    labels:
				      severity: "page"
				    annotations:
				      summary: "{{ $labels.pool }}: \\"x\\""
				""".formatted(expr.replace("\"", "\\\"")));
	}

	@Test
	void theSameRulesGiveTheSameBytes() {
		Map<String, String> labels = new LinkedHashMap<>();
		for (int i = 0; i < 20; i++) {
			labels.put("label" + i, "value" + i);
		}
		Map<String, String> reversed = new TreeMap<>(Comparator.reverseOrder());
		reversed.putAll(labels);
		String once = RuleYaml.prometheusRule(rules(labels), "threadlens", "monitoring", labels);
		assertThat(RuleYaml.prometheusRule(rules(labels), "threadlens", "monitoring", labels)).isEqualTo(once);
		assertThat(RuleYaml.prometheusRule(rules(reversed), "threadlens", "monitoring", reversed)).isEqualTo(once);
		for (PrometheusNaming naming : PrometheusNaming.values()) {
			String defaults = RuleYaml.ruleFile(new ThreadLensRules(Selector.NONE, Map.of(), Map.of(), List.of("job")).groups(naming));
			assertThat(RuleYaml.ruleFile(new ThreadLensRules(Selector.NONE, Map.of(), Map.of(), List.of("job")).groups(naming)))
				.isEqualTo(defaults);
		}
	}

	@Test
	void rulesSharingLabelsAreWrittenOutNotAliased() {
		Map<String, String> shared = Map.of("severity", "page");
		List<RuleGroup> groups = List.of(new RuleGroup("g",
				List.of(new Rule.Alerting("A", "a", Duration.ZERO, shared, shared),
						new Rule.Alerting("B", "b", Duration.ZERO, shared, shared))));
		String yaml = RuleYaml.ruleFile(groups);
		assertThat(yaml).doesNotContain("&").doesNotContain("*");
		RuleFiles.assertReadsBackAs(yaml, groups);
	}

	@Test
	void defaultRulesReadBackInBothFormats() {
		for (PrometheusNaming naming : PrometheusNaming.values()) {
			List<RuleGroup> groups = new ThreadLensRules(Selector.parse("{application=\"orders\"}"), Map.of(),
					Map.of("owner", "orders"), List.of("cluster", "job")).groups(naming);
			RuleFiles.assertReadsBackAs(RuleYaml.ruleFile(groups), groups);
			RuleFiles.assertReadsBackAs(RuleYaml.prometheusRule(groups, "threadlens", "", Map.of()), groups,
					"threadlens", Map.of());
		}
	}

	private static List<RuleGroup> rules(Map<String, String> labels) {
		return List.of(new RuleGroup("g", List.of(new Rule.Recording("r:x:sum", "sum(x)"),
				new Rule.Alerting("A", "x > 1", Duration.ofSeconds(90), labels, labels))));
	}

}
