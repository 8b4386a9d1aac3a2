package io.github.threadlens.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.rules.AlertSettings;
import io.github.threadlens.rules.Selector;
import io.github.threadlens.rules.ThreadLensAlert;
import io.github.threadlens.rules.ThreadLensRules;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The Prometheus rules served at {@code /actuator/prometheusrules}.
 *
 * @param selector Label matchers added to every series the rules read, as PromQL writes
 * them, e.g. '{application="orders"}'; empty for none
 * @param labels Labels added to every alert, e.g. 'team: payments'
 * @param rules Tuning of each alert by its key: deadlock, pool-saturated, queue-wait,
 * rejections, blocked-threads, monitor-contention, virtual-thread-pinning, thread-leak,
 * live-threads, cardinality-overflow
 * @param operator The PrometheusRule object served with '?format=operator'
 */
@ConfigurationProperties("threadlens.alerts")
public record AlertsProperties(@DefaultValue("") String selector, @DefaultValue Map<String, String> labels,
		@DefaultValue Map<String, Alert> rules, @DefaultValue Operator operator) {

	private static final String PREFIX = "threadlens.alerts";

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	// Kubernetes object names: a DNS-1123 subdomain; namespaces: a DNS-1123 label.
	private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	public AlertsProperties {
		parseSelector(selector);
		checkLabels(PREFIX + ".labels", labels);
		rules.forEach((key, rule) -> rule.validate(PREFIX + ".rules." + key, alert(key)));
		labels = Map.copyOf(labels);
		rules = Map.copyOf(rules);
	}

	/**
	 * The rules these properties describe.
	 * @return the rules
	 */
	public ThreadLensRules toRules() {
		Map<ThreadLensAlert, AlertSettings> alerts = new EnumMap<>(ThreadLensAlert.class);
		this.rules.forEach((key, rule) -> {
			ThreadLensAlert alert = alert(key);
			alerts.put(alert, rule.settings(alert.defaults()));
		});
		return new ThreadLensRules(parseSelector(this.selector), alerts, this.labels);
	}

	private static Selector parseSelector(String selector) {
		try {
			return Selector.parse(selector);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidThreadLensPropertyException(PREFIX + ".selector", selector, ex.getMessage(),
					"write label matchers in braces, such as {application=\"orders\"}");
		}
	}

	private static ThreadLensAlert alert(String key) {
		for (ThreadLensAlert alert : ThreadLensAlert.values()) {
			if (alert.key().equals(key)) {
				return alert;
			}
		}
		throw new InvalidThreadLensPropertyException(PREFIX + ".rules." + key, key, "there is no alert '" + key + "'",
				"use one of " + Arrays.stream(ThreadLensAlert.values())
					.map(ThreadLensAlert::key)
					.collect(Collectors.joining(", ")));
	}

	static void checkLabels(String property, Map<String, String> labels) {
		labels.forEach((name, value) -> {
			checkName(property + "." + name, name, "label");
			checkText(property + "." + name, value);
		});
	}

	static void checkName(String property, String name, String what) {
		if (!LABEL_NAME.matcher(name).matches()) {
			throw new InvalidThreadLensPropertyException(property, name,
					"'" + name + "' is not a Prometheus " + what + " name",
					"use letters, digits and underscores, not starting with a digit");
		}
	}

	static void checkText(String property, String value) {
		if (value.chars().anyMatch((c) -> c == '"' || Character.isISOControl(c))) {
			throw new InvalidThreadLensPropertyException(property, value.replace("\n", "\\n"),
					"quotes and control characters such as newlines are not allowed here",
					"write the value on one line without double quotes");
		}
	}

	/**
	 * Tuning of one alert; what is not set keeps the alert's default.
	 *
	 * @param enabled Whether the alert is in the rule file
	 * @param threshold Value the alert's expression is compared with: a share between 0 and 1
	 * for pool-saturated and blocked-threads, seconds for queue-wait and monitor-contention,
	 * tasks per second for rejections, pinnings per second for virtual-thread-pinning,
	 * threads for deadlock and live-threads, folds for
	 * cardinality-overflow, the 0/1 suspicion for thread-leak
	 * @param forDuration How long the condition must hold before the alert fires
	 * @param severity Value of the alert's 'severity' label
	 * @param labels Further labels of the alert
	 * @param annotations Further annotations of the alert, or replacements of its 'summary' and
	 * 'description'
	 * @param runbookUrl The alert's 'runbook_url' annotation
	 */
	public record Alert(@Nullable Boolean enabled, @Nullable Double threshold, @Name("for") @Nullable Duration forDuration,
			@Nullable String severity, @DefaultValue Map<String, String> labels,
			@DefaultValue Map<String, String> annotations, @Nullable String runbookUrl) {

		void validate(String property, ThreadLensAlert alert) {
			if (this.threshold != null) {
				boolean ratio = alert.unit() == ThreadLensAlert.Unit.RATIO;
				if (!Double.isFinite(this.threshold) || this.threshold < 0 || (ratio && this.threshold > 1)) {
					throw new InvalidThreadLensPropertyException(property + ".threshold", this.threshold,
							ratio ? "the threshold is a share of threads" : "the threshold cannot be negative",
							ratio ? "use a number between 0 and 1, such as 0.9" : "use zero or a positive number");
				}
			}
			if (this.forDuration != null && this.forDuration.isNegative()) {
				throw new InvalidThreadLensPropertyException(property + ".for", this.forDuration,
						"an alert cannot hold for a negative time", "use a duration such as 5m, or 0s to fire at once");
			}
			if (this.severity != null) {
				checkText(property + ".severity", this.severity);
			}
			if (this.runbookUrl != null) {
				checkText(property + ".runbook-url", this.runbookUrl);
			}
			checkLabels(property + ".labels", this.labels);
			this.annotations.forEach((name, value) -> {
				checkName(property + ".annotations." + name, name, "annotation");
				if (value.chars().anyMatch(Character::isISOControl)) {
					throw new InvalidThreadLensPropertyException(property + ".annotations." + name,
							value.replace("\n", "\\n"), "control characters such as newlines are not allowed",
							"write the annotation on one line");
				}
			});
		}

		AlertSettings settings(AlertSettings defaults) {
			return new AlertSettings((this.enabled != null) ? this.enabled : defaults.enabled(),
					(this.threshold != null) ? this.threshold : defaults.threshold(),
					(this.forDuration != null) ? this.forDuration : defaults.forDuration(),
					(this.severity != null) ? this.severity : defaults.severity(), this.labels, this.annotations,
					(this.runbookUrl != null) ? this.runbookUrl : defaults.runbookUrl());
		}

	}

	/**
	 * The {@code monitoring.coreos.com/v1} {@code PrometheusRule} object.
	 *
	 * @param name Name of the PrometheusRule object
	 * @param namespace Namespace of the object; empty to leave it to 'kubectl apply -n'
	 * @param labels Labels of the object, which the operator's rule selector must match
	 * (kube-prometheus-stack: 'release: <its release name>')
	 */
	public record Operator(@DefaultValue("threadlens-rules") String name, @DefaultValue("") String namespace,
			@DefaultValue Map<String, String> labels) {

		public Operator {
			if (!DNS_SUBDOMAIN.matcher(name).matches() || name.length() > 253) {
				throw new InvalidThreadLensPropertyException(PREFIX + ".operator.name", name,
						"'" + name + "' is not a Kubernetes object name",
						"use lower-case letters, digits, '-' and '.', such as orders-threadlens-rules");
			}
			if (!namespace.isEmpty() && (!DNS_LABEL.matcher(namespace).matches() || namespace.length() > 63)) {
				throw new InvalidThreadLensPropertyException(PREFIX + ".operator.namespace", namespace,
						"'" + namespace + "' is not a Kubernetes namespace", "use lower-case letters, digits and '-'");
			}
			checkLabels(PREFIX + ".operator.labels", labels);
			labels = Map.copyOf(labels);
		}

	}

}
