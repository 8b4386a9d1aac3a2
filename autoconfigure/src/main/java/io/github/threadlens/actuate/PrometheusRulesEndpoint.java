package io.github.threadlens.actuate;

import java.util.List;
import java.util.Map;

import io.github.threadlens.rules.RuleGroup;
import io.github.threadlens.rules.RuleYaml;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/prometheusrules}: ThreadLens's recording and alerting rules as a
 * Prometheus rule file, or with {@code ?format=operator} as a prometheus-operator
 * {@code PrometheusRule}.
 */
@Endpoint(id = "prometheusrules")
public class PrometheusRulesEndpoint {

	private final List<RuleGroup> groups;

	private final String objectName;

	private final String namespace;

	private final Map<String, String> objectLabels;

	/**
	 * Create the endpoint.
	 * @param groups the rule groups
	 * @param objectName the PrometheusRule object's name
	 * @param namespace its namespace, or empty
	 * @param objectLabels its labels
	 */
	public PrometheusRulesEndpoint(List<RuleGroup> groups, String objectName, String namespace,
			Map<String, String> objectLabels) {
		this.groups = List.copyOf(groups);
		this.objectName = objectName;
		this.namespace = namespace;
		this.objectLabels = Map.copyOf(objectLabels);
	}

	/**
	 * The rules.
	 * @param format {@code prometheus} (the default) or {@code operator}
	 * @return the YAML document
	 */
	@ReadOperation(produces = "application/yaml")
	public String rules(@Nullable String format) {
		if (format == null || format.equals("prometheus")) {
			return RuleYaml.ruleFile(this.groups);
		}
		if (format.equals("operator")) {
			return RuleYaml.prometheusRule(this.groups, this.objectName, this.namespace, this.objectLabels);
		}
		String reason = "Parameter 'format' must be 'prometheus' or 'operator', was '" + format + "'";
		throw new InvalidEndpointRequestException(reason, reason);
	}

}
