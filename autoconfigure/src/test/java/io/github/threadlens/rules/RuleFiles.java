package io.github.threadlens.rules;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a dumped rule document back with SnakeYAML and compares it with the rules it was
 * dumped from, field by field, so that any value the dump altered, re-typed or split shows.
 */
public final class RuleFiles {

	private RuleFiles() {
	}

	/**
	 * Assert that a rule file reads back as the groups.
	 * @param yaml the output of {@link RuleYaml#ruleFile}
	 * @param groups the groups it was made from
	 */
	public static void assertReadsBackAs(String yaml, List<RuleGroup> groups) {
		Map<String, Object> document = new Yaml().load(yaml);
		assertThat(document).as(yaml).isEqualTo(Map.of("groups", groups.stream().map(RuleFiles::group).toList()));
	}

	/**
	 * Assert that a {@code PrometheusRule} reads back as the groups and the object's metadata.
	 * @param yaml the output of {@link RuleYaml#prometheusRule}
	 * @param groups the groups it was made from
	 * @param name the object's name
	 * @param labels the object's labels
	 */
	public static void assertReadsBackAs(String yaml, List<RuleGroup> groups, String name,
			Map<String, String> labels) {
		Map<String, Object> document = new Yaml().load(yaml);
		Map<String, Object> metadata = labels.isEmpty() ? Map.of("name", name)
				: Map.of("name", name, "labels", labels);
		assertThat(document).as(yaml)
			.isEqualTo(Map.of("apiVersion", "monitoring.coreos.com/v1", "kind", "PrometheusRule", "metadata",
					metadata, "spec", Map.of("groups", groups.stream().map(RuleFiles::group).toList())));
	}

	private static Map<String, Object> group(RuleGroup group) {
		return Map.of("name", group.name(), "rules", group.rules().stream().map(RuleFiles::rule).toList());
	}

	private static Map<String, Object> rule(Rule rule) {
		if (rule instanceof Rule.Recording recording) {
			return Map.of("record", recording.record(), "expr", recording.expr());
		}
		Rule.Alerting alerting = (Rule.Alerting) rule;
		Map<String, Object> expected = new HashMap<>(Map.of("alert", alerting.alert(), "expr", alerting.expr(),
				"for", RuleYaml.duration(alerting.forDuration())));
		if (!alerting.labels().isEmpty()) {
			expected.put("labels", alerting.labels());
		}
		if (!alerting.annotations().isEmpty()) {
			expected.put("annotations", alerting.annotations());
		}
		return expected;
	}

}
