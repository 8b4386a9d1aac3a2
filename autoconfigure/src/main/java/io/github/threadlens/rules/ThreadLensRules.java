package io.github.threadlens.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The rule file ThreadLens serves: recording rules that aggregate its meters across
 * instances, for dashboards and federation, and its alerts, tuned by settings.
 */
public final class ThreadLensRules {

	private final Selector selector;

	private final Map<ThreadLensAlert, AlertSettings> alerts;

	private final Map<String, String> commonLabels;

	/**
	 * Create the rules.
	 * @param selector matchers added to every vector selector
	 * @param alerts the settings of each alert; an alert with none uses its defaults
	 * @param commonLabels labels added to every alert
	 */
	public ThreadLensRules(Selector selector, Map<ThreadLensAlert, AlertSettings> alerts,
			Map<String, String> commonLabels) {
		this.selector = selector;
		this.alerts = Map.copyOf(alerts);
		this.commonLabels = Map.copyOf(commonLabels);
	}

	/**
	 * The rule groups, recording rules first.
	 * @return the groups
	 */
	public List<RuleGroup> groups() {
		return List.of(new RuleGroup("threadlens.recording", recordingRules()),
				new RuleGroup("threadlens.alerts", alertingRules()));
	}

	private List<Rule> recordingRules() {
		String states = PrometheusNames.of(ThreadLensMeters.THREADS_POOL_STATES);
		String blocking = PrometheusNames.of(ThreadLensMeters.THREADS_BLOCKING);
		String rejected = PrometheusNames.of(ThreadLensMeters.EXECUTOR_REJECTED);
		return List.of(
				new Rule.Recording("pool_state:" + states + ":sum",
						"sum without (instance) (" + this.selector.select(states) + ")"),
				new Rule.Recording("pool_reason:" + blocking + ":sum",
						"sum without (instance) (" + this.selector.select(blocking) + ")"),
				quantile(ThreadLensMeters.EXECUTOR_IDLE, "0.5", "p50"),
				quantile(ThreadLensMeters.EXECUTOR_IDLE, "0.99", "p99"),
				quantile(ThreadLensMeters.EXECUTOR, "0.99", "p99"),
				new Rule.Recording("name:" + rejected.substring(0, rejected.length() - "_total".length()) + ":rate5m",
						"sum without (instance) (rate(" + this.selector.select(rejected) + "[5m]))"));
	}

	private Rule quantile(MeterDefinition timer, String quantile, String label) {
		return new Rule.Recording("name:" + PrometheusNames.of(timer) + ":" + label + "_rate5m",
				"histogram_quantile(" + quantile + ", sum without (instance) (rate("
						+ this.selector.select(PrometheusNames.buckets(timer)) + "[5m])))");
	}

	private List<Rule> alertingRules() {
		List<Rule> rules = new ArrayList<>();
		for (ThreadLensAlert alert : ThreadLensAlert.values()) {
			AlertSettings settings = this.alerts.getOrDefault(alert, alert.defaults());
			if (!settings.enabled()) {
				continue;
			}
			Map<String, String> labels = new LinkedHashMap<>(this.commonLabels);
			labels.putAll(settings.labels());
			labels.put("severity", settings.severity());
			Map<String, String> annotations = new LinkedHashMap<>();
			annotations.put("summary", alert.summary());
			annotations.put("description", alert.description());
			if (!settings.runbookUrl().isEmpty()) {
				annotations.put("runbook_url", settings.runbookUrl());
			}
			annotations.putAll(settings.annotations());
			rules.add(new Rule.Alerting(alert.alertName(), alert.expr(this.selector, settings.threshold()),
					settings.forDuration(), labels, annotations));
		}
		return rules;
	}

}
