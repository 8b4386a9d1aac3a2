package io.github.threadlens.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Writes rule groups as YAML: a Prometheus rule file, or the same groups inside a
 * prometheus-operator {@code PrometheusRule}. The document is built as maps and lists and
 * dumped by SnakeYAML with every value double-quoted, the one YAML style that carries any
 * string exactly (escapes for what may not stand raw), so no value can change the
 * document's structure. Maps keep the order they are built in, labels and annotations sorted
 * by name, so the same rules always give the same bytes.
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
		return dump(ruleFileDocument(groups));
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
		return dump(prometheusRuleDocument(groups, name, namespace, labels));
	}

	static Map<String, Object> ruleFileDocument(List<RuleGroup> groups) {
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("groups", groups(groups));
		return document;
	}

	static Map<String, Object> prometheusRuleDocument(List<RuleGroup> groups, String name, String namespace,
			Map<String, String> labels) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("name", name);
		if (!namespace.isEmpty()) {
			metadata.put("namespace", namespace);
		}
		putSorted(metadata, "labels", labels);
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("apiVersion", "monitoring.coreos.com/v1");
		document.put("kind", "PrometheusRule");
		document.put("metadata", metadata);
		document.put("spec", ruleFileDocument(groups));
		return document;
	}

	private static List<Map<String, Object>> groups(List<RuleGroup> groups) {
		return groups.stream().map((group) -> {
			Map<String, Object> yaml = new LinkedHashMap<>();
			yaml.put("name", group.name());
			yaml.put("rules", group.rules().stream().map(RuleYaml::rule).toList());
			return yaml;
		}).toList();
	}

	private static Map<String, Object> rule(Rule rule) {
		Map<String, Object> yaml = new LinkedHashMap<>();
		if (rule instanceof Rule.Recording recording) {
			yaml.put("record", recording.record());
			yaml.put("expr", recording.expr());
		}
		else if (rule instanceof Rule.Alerting alerting) {
			yaml.put("alert", alerting.alert());
			yaml.put("expr", alerting.expr());
			yaml.put("for", duration(alerting.forDuration()));
			putSorted(yaml, "labels", alerting.labels());
			putSorted(yaml, "annotations", alerting.annotations());
		}
		return yaml;
	}

	private static void putSorted(Map<String, Object> yaml, String key, Map<String, String> values) {
		if (!values.isEmpty()) {
			yaml.put(key, new LinkedHashMap<>(new TreeMap<>(values)));
		}
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

	private static String dump(Map<String, Object> document) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setIndent(2);
		options.setDefaultScalarStyle(DumperOptions.ScalarStyle.DOUBLE_QUOTED);
		// SnakeYAML would write a string holding a control character as !!binary base64,
		// which Prometheus reads as the base64 text.
		options.setNonPrintableStyle(DumperOptions.NonPrintableStyle.ESCAPE);
		// A folded line is still the same string to a parser, but not to grep or a diff.
		options.setWidth(Integer.MAX_VALUE);
		options.setSplitLines(false);
		options.setLineBreak(DumperOptions.LineBreak.UNIX);
		// Yaml is not thread-safe; one per document costs less than a request's other work.
		return new Yaml(new PlainKeys(options), options).dump(document);
	}

	/**
	 * Keys as plain scalars where YAML allows ({@code expr:}, not {@code "expr":}), quoted by
	 * SnakeYAML where it does not; values keep the double quotes.
	 */
	private static final class PlainKeys extends Representer {

		PlainKeys(DumperOptions options) {
			super(options);
		}

		@Override
		protected Node representMapping(Tag tag, Map<?, ?> mapping, DumperOptions.FlowStyle flowStyle) {
			MappingNode node = (MappingNode) super.representMapping(tag, mapping, flowStyle);
			node.getValue().replaceAll((entry) -> new NodeTuple(plain((ScalarNode) entry.getKeyNode()),
					entry.getValueNode()));
			return node;
		}

		private static ScalarNode plain(ScalarNode key) {
			return new ScalarNode(key.getTag(), key.getValue(), null, null, DumperOptions.ScalarStyle.PLAIN);
		}

	}

}
