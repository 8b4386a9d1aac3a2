package io.github.threadlens.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.census.PrintableText;
import io.github.threadlens.rules.AlertSettings;
import io.github.threadlens.rules.GoTemplateSyntax;
import io.github.threadlens.rules.PrometheusNaming;
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
 * them; empty for none. They must match labels of the scraped path's series: on the
 * Micrometer path a common tag such as '{application="orders"}', on the OpenTelemetry path a
 * label Prometheus adds, such as '{job="orders"}', or a resource attribute the exporter
 * copies onto every series, such as '{service_name="orders"}'
 * @param naming Names the rules are written in: 'micrometer' for the series of
 * /actuator/prometheus, 'opentelemetry' for those of OpenTelemetry's Prometheus exporter;
 * unset, the names of the path that exports: Micrometer's when it does, else OpenTelemetry's
 * @param labels Labels added to every alert, e.g. 'team: payments'
 * @param aggregationLabels Labels that tell an application's series apart in a fleet, which
 * every recording rule sums by, keeping them and its meter's own tags, and names its level
 * after: 'job' (the scrape job, on both export paths) by default, or e.g. 'application' or
 * 'cluster,job'
 * @param rules Tuning of each alert by its key: deadlock, pool-saturated, queue-wait,
 * rejections, blocked-threads, monitor-contention, virtual-thread-pinning, thread-leak,
 * live-threads, cardinality-overflow
 * @param operator The PrometheusRule object served with '?format=operator'
 */
@ConfigurationProperties(prefix = "threadlens.alerts", ignoreUnknownFields = false)
public record AlertsProperties(@DefaultValue("") String selector, @Nullable String naming,
		@DefaultValue Map<String, String> labels, @DefaultValue("job") List<String> aggregationLabels,
		@DefaultValue Map<String, Alert> rules, @DefaultValue Operator operator) {

	private static final String PREFIX = "threadlens.alerts";

	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

	// Kubernetes object names: a DNS-1123 subdomain; namespaces: a DNS-1123 label.
	private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	// Kubernetes label names (after an optional DNS-subdomain prefix and '/') and values.
	private static final Pattern KUBERNETES_LABEL = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

	/** The longest 'for' accepted, far inside the range of Prometheus's durations. */
	private static final Duration MAX_FOR = Duration.ofDays(365);

	public AlertsProperties {
		parseSelector(selector);
		parseNaming(naming);
		checkLabels(PREFIX + ".labels", labels);
		for (int i = 0; i < aggregationLabels.size(); i++) {
			checkName(PREFIX + ".aggregation-labels[" + i + "]", aggregationLabels.get(i), "label");
		}
		rules.forEach((key, rule) -> rule.validate(PREFIX + ".rules." + key, alert(key)));
		labels = Map.copyOf(labels);
		aggregationLabels = List.copyOf(aggregationLabels);
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
		return new ThreadLensRules(parseSelector(this.selector), alerts, this.labels, this.aggregationLabels);
	}

	/**
	 * The naming {@code threadlens.alerts.naming} sets.
	 * @return the naming, or {@code null} to follow the path that exports
	 */
	public @Nullable PrometheusNaming prometheusNaming() {
		return parseNaming(this.naming);
	}

	private static @Nullable PrometheusNaming parseNaming(@Nullable String naming) {
		if (naming == null) {
			return null;
		}
		try {
			return PrometheusNaming.of(naming);
		}
		catch (IllegalArgumentException ex) {
			throw PropertyBounds.invalid(PREFIX + ".naming", naming, "there is no naming '" + naming + "'",
					"use 'micrometer' (the series of /actuator/prometheus) or 'opentelemetry' (those of "
							+ "OpenTelemetry's Prometheus exporter), or leave it unset to follow the path that exports");
		}
	}

	private static Selector parseSelector(String selector) {
		try {
			return Selector.parse(selector);
		}
		catch (IllegalArgumentException ex) {
			throw PropertyBounds.invalid(PREFIX + ".selector", selector, ex.getMessage(),
					"write label matchers in braces, such as {application=\"orders\"}");
		}
	}

	private static ThreadLensAlert alert(String key) {
		for (ThreadLensAlert alert : ThreadLensAlert.values()) {
			if (alert.key().equals(key)) {
				return alert;
			}
		}
		throw PropertyBounds.invalid(PREFIX + ".rules." + key, key, "there is no alert '" + key + "'",
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
		if (!LABEL_NAME.matcher(name).matches() || name.startsWith("__")) {
			throw PropertyBounds.invalid(property, name,
					"'" + name + "' is not a Prometheus " + what + " name of one's own",
					"use letters, digits and underscores, not starting with a digit or '__'");
		}
	}

	/** A label value: one line without quotes, and a template Prometheus parses. */
	static void checkText(String property, String value) {
		if (value.chars().anyMatch((c) -> c == '"') || !isOneLineOfText(value)) {
			throw PropertyBounds.invalid(property, printable(value),
					"quotes, control characters such as newlines, line separators and unpaired surrogates are "
							+ "not allowed here",
					"write the value on one line without double quotes");
		}
		checkTemplate(property, value);
	}

	static void checkTemplate(String property, String value) {
		try {
			GoTemplateSyntax.check(value);
		}
		catch (IllegalArgumentException ex) {
			throw PropertyBounds.invalid(property, printable(value),
					"Prometheus would not parse it as a template: " + ex.getMessage(),
					"fix the {{ }} actions (Go template syntax), or leave them out");
		}
	}

	private static boolean isOneLineOfText(String value) {
		// The rules are served as YAML, which refuses the noncharacters U+FFFE and U+FFFF too.
		return PrintableText.isPrintable(value) && value.indexOf('\uFFFE') < 0 && value.indexOf('\uFFFF') < 0;
	}

	private static String printable(String value) {
		StringBuilder text = new StringBuilder();
		value.chars()
			.forEach((c) -> text.append((c >= 0x20 && c < 0x7F) ? String.valueOf((char) c)
					: String.format("\\u%04x", c)));
		return text.toString();
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
					throw PropertyBounds.invalid(property + ".threshold", this.threshold,
							ratio ? "the threshold is a share of threads" : "the threshold cannot be negative",
							ratio ? "use a number between 0 and 1, such as 0.9" : "use zero or a positive number");
				}
			}
			if (this.forDuration != null) {
				checkFor(property + ".for", this.forDuration);
			}
			if (this.severity != null) {
				checkText(property + ".severity", this.severity);
			}
			if (this.runbookUrl != null) {
				checkText(property + ".runbook-url", this.runbookUrl);
				String scheme = this.runbookUrl.toLowerCase(Locale.ROOT);
				if (!(scheme.startsWith("https://") || scheme.startsWith("http://"))
						|| this.runbookUrl.chars().anyMatch(Character::isWhitespace)) {
					throw PropertyBounds.invalid(property + ".runbook-url", printable(this.runbookUrl),
							"a runbook is a web page", "give an http:// or https:// URL without spaces");
				}
			}
			checkLabels(property + ".labels", this.labels);
			this.annotations.forEach((name, value) -> {
				checkName(property + ".annotations." + name, name, "annotation");
				if (!isOneLineOfText(value)) {
					throw PropertyBounds.invalid(property + ".annotations." + name,
							printable(value),
							"control characters such as newlines, line separators and unpaired surrogates are not "
									+ "allowed",
							"write the annotation on one line");
				}
				checkTemplate(property + ".annotations." + name, value);
			});
		}

		private static void checkFor(String property, Duration duration) {
			if (duration.isNegative()) {
				throw PropertyBounds.invalid(property, duration,
						"an alert cannot hold for a negative time", "use a duration such as 5m, or 0s to fire at once");
			}
			if (duration.getNano() % 1_000_000 != 0) {
				throw PropertyBounds.invalid(property, duration,
						"Prometheus counts in whole milliseconds", "use a whole number of milliseconds, such as 500ms");
			}
			if (duration.compareTo(MAX_FOR) > 0) {
				throw PropertyBounds.invalid(property, duration, "it is longer than a year",
						"use a duration of at most 365d");
			}
		}

		AlertSettings settings(AlertSettings defaults) {
			return new AlertSettings((this.enabled != null) ? this.enabled : defaults.enabled(),
					(this.threshold != null) ? this.threshold : defaults.threshold(),
					(this.forDuration != null) ? this.forDuration : defaults.forDuration(),
					(this.severity != null) ? this.severity : defaults.severity(), this.labels, this.annotations,
					(this.runbookUrl != null) ? this.runbookUrl : defaults.runbookUrl());
		}

	}

	/** A label of a Kubernetes object: {@code [prefix/]name} and a value, as Kubernetes validates them. */
	static void checkKubernetesLabel(String property, String key, String value) {
		int slash = key.lastIndexOf('/');
		String prefix = (slash < 0) ? "" : key.substring(0, slash);
		String name = key.substring(slash + 1);
		boolean prefixValid = slash < 0
				|| (!prefix.isEmpty() && prefix.length() <= 253 && DNS_SUBDOMAIN.matcher(prefix).matches());
		if (!prefixValid || name.isEmpty() || name.length() > 63 || !KUBERNETES_LABEL.matcher(name).matches()) {
			throw PropertyBounds.invalid(property, key, "'" + key + "' is not a Kubernetes label key",
					"use an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.', "
							+ "such as app.kubernetes.io/part-of");
		}
		if (value.length() > 63 || !KUBERNETES_LABEL.matcher(value).matches()) {
			throw PropertyBounds.invalid(property, value,
					"'" + value + "' is not a Kubernetes label value",
					"use up to 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit");
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
				throw PropertyBounds.invalid(PREFIX + ".operator.name", name,
						"'" + name + "' is not a Kubernetes object name",
						"use lower-case letters, digits, '-' and '.', such as orders-threadlens-rules");
			}
			if (!namespace.isEmpty() && (!DNS_LABEL.matcher(namespace).matches() || namespace.length() > 63)) {
				throw PropertyBounds.invalid(PREFIX + ".operator.namespace", namespace,
						"'" + namespace + "' is not a Kubernetes namespace", "use lower-case letters, digits and '-'");
			}
			labels.forEach((key, value) -> checkKubernetesLabel(PREFIX + ".operator.labels." + key, key, value));
			labels = Map.copyOf(labels);
		}

	}

}
