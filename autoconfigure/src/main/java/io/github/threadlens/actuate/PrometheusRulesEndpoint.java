package io.github.threadlens.actuate;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.rules.RuleGroup;
import io.github.threadlens.rules.RuleYaml;
import io.github.threadlens.rules.Selector;
import io.github.threadlens.rules.ThreadLensRules;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/prometheusrules}: ThreadLens's recording and alerting rules as a
 * Prometheus rule file, or with {@code ?format=operator} as a prometheus-operator
 * {@code PrometheusRule}, in the names of the export path Prometheus scrapes: by default the
 * one the application is configured for, or with {@code ?naming=micrometer} or
 * {@code ?naming=opentelemetry} either. Since the labels that tell an application's series
 * apart differ per path, {@code ?selector=} replaces the configured selector.
 */
@Endpoint(id = "prometheusrules")
public class PrometheusRulesEndpoint {

	private final ThreadLensRules rules;

	private final Supplier<PrometheusNaming> naming;

	private final String objectName;

	private final String namespace;

	private final Map<String, String> objectLabels;

	/**
	 * Create the endpoint.
	 * @param rules the rules
	 * @param naming the naming served when the request names none, asked for when a request
	 * needs it: which path exports may be known only once the application has started
	 * @param objectName the PrometheusRule object's name
	 * @param namespace its namespace, or empty
	 * @param objectLabels its labels
	 */
	public PrometheusRulesEndpoint(ThreadLensRules rules, Supplier<PrometheusNaming> naming, String objectName,
			String namespace, Map<String, String> objectLabels) {
		this.rules = rules;
		this.naming = naming;
		this.objectName = objectName;
		this.namespace = namespace;
		this.objectLabels = Map.copyOf(objectLabels);
	}

	/**
	 * The rules.
	 * @param format {@code prometheus} (the default) or {@code operator}
	 * @param naming {@code micrometer} or {@code opentelemetry}; by default the application's
	 * @param selector label matchers in braces, replacing the configured selector
	 * @return the YAML document
	 */
	@ReadOperation(produces = "application/yaml")
	public String rules(@Nullable String format, @Nullable String naming, @Nullable String selector) {
		if (format != null && !format.equals("prometheus") && !format.equals("operator")) {
			throw badRequest("Parameter 'format' must be 'prometheus' or 'operator', was '" + format + "'");
		}
		ThreadLensRules rules = (selector != null) ? this.rules.withSelector(selector(selector)) : this.rules;
		List<RuleGroup> groups = rules.groups((naming != null) ? naming(naming) : this.naming.get());
		return "operator".equals(format)
				? RuleYaml.prometheusRule(groups, this.objectName, this.namespace, this.objectLabels)
				: RuleYaml.ruleFile(groups);
	}

	private static PrometheusNaming naming(String naming) {
		try {
			return PrometheusNaming.of(naming);
		}
		catch (IllegalArgumentException ex) {
			throw badRequest("Parameter 'naming' must be 'micrometer' or 'opentelemetry', was '" + naming + "'");
		}
	}

	private static Selector selector(String selector) {
		try {
			return Selector.parse(selector);
		}
		catch (IllegalArgumentException ex) {
			throw badRequest("Parameter 'selector' is not label matchers in braces: " + ex.getMessage());
		}
	}

	private static InvalidEndpointRequestException badRequest(String reason) {
		return new InvalidEndpointRequestException(reason, reason);
	}

}
