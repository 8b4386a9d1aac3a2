package io.github.threadlens.rules;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes rule groups as YAML: a Prometheus rule file, or the same groups inside a
 * prometheus-operator {@code PrometheusRule}. Every string is double-quoted and escaped, so
 * no value can change the document's structure; maps are written in key order, so the same
 * rules always give the same text.
 */
public final class RuleYaml {

	private RuleYaml() {
	}

	/**
	 * A Prometheus rule file ({@code rule_files:} in prometheus.yml).
	 * @param groups the groups
	 * @return the YAML document
	 */
	public static String ruleFile(List<RuleGroup> groups) {
		StringBuilder yaml = new StringBuilder("groups:\n");
		groups(yaml, groups, "");
		return yaml.toString();
	}

	/**
	 * A {@code monitoring.coreos.com/v1} {@code PrometheusRule} holding the groups.
	 * @param groups the groups
	 * @param name the object's name
	 * @param namespace its namespace, or empty to leave it to {@code kubectl apply -n}
	 * @param labels its labels, which the operator's rule selector matches
	 * @return the YAML document
	 */
	public static String prometheusRule(List<RuleGroup> groups, String name, String namespace,
			Map<String, String> labels) {
		StringBuilder yaml = new StringBuilder("apiVersion: \"monitoring.coreos.com/v1\"\nkind: \"PrometheusRule\"\n");
		yaml.append("metadata:\n  name: ").append(quote(name)).append('\n');
		if (!namespace.isEmpty()) {
			yaml.append("  namespace: ").append(quote(namespace)).append('\n');
		}
		map(yaml, "  labels", labels, "  ");
		yaml.append("spec:\n  groups:\n");
		groups(yaml, groups, "  ");
		return yaml.toString();
	}

	private static void groups(StringBuilder yaml, List<RuleGroup> groups, String indent) {
		for (RuleGroup group : groups) {
			yaml.append(indent).append("- name: ").append(quote(group.name())).append('\n');
			yaml.append(indent).append("  rules:\n");
			for (Rule rule : group.rules()) {
				rule(yaml, rule, indent + "  ");
			}
		}
	}

	private static void rule(StringBuilder yaml, Rule rule, String indent) {
		if (rule instanceof Rule.Recording recording) {
			yaml.append(indent).append("- record: ").append(quote(recording.record())).append('\n');
			yaml.append(indent).append("  expr: ").append(quote(recording.expr())).append('\n');
		}
		else if (rule instanceof Rule.Alerting alerting) {
			yaml.append(indent).append("- alert: ").append(quote(alerting.alert())).append('\n');
			yaml.append(indent).append("  expr: ").append(quote(alerting.expr())).append('\n');
			yaml.append(indent).append("  for: ").append(quote(duration(alerting.forDuration()))).append('\n');
			map(yaml, indent + "  labels", alerting.labels(), indent + "  ");
			map(yaml, indent + "  annotations", alerting.annotations(), indent + "  ");
		}
	}

	private static void map(StringBuilder yaml, String key, Map<String, String> values, String indent) {
		if (values.isEmpty()) {
			return;
		}
		yaml.append(key).append(":\n");
		new TreeMap<>(values).forEach((name, value) -> yaml.append(indent)
			.append("  ")
			.append(name)
			.append(": ")
			.append(quote(value))
			.append('\n'));
	}

	/**
	 * A duration as Prometheus writes one: {@code 90s} as {@code 1m30s}, zero as {@code 0s}.
	 */
	static String duration(Duration duration) {
		long millis = duration.toMillis();
		if (millis == 0) {
			return "0s";
		}
		StringBuilder text = new StringBuilder();
		long[] sizes = { 86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L };
		String[] units = { "d", "h", "m", "s", "ms" };
		for (int i = 0; i < sizes.length; i++) {
			if (millis >= sizes[i]) {
				text.append(millis / sizes[i]).append(units[i]);
				millis %= sizes[i];
			}
		}
		return text.toString();
	}

	private static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				case '\t' -> quoted.append("\\t");
				default -> {
					// What YAML may not carry raw: C0 and C1 controls, DEL, line and paragraph
					// separators, the byte-order mark and non-characters.
					if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\uFEFF'
							|| c >= '\uFFFE') {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
