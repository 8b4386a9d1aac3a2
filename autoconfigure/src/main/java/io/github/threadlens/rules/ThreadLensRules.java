package io.github.threadlens.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The rule file ThreadLens serves: recording rules that aggregate its meters across
 * instances, for dashboards and federation, and its alerts, tuned by settings; rendered in
 * the names of either export path.
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
	 * These rules for the series of another selector, such as the labels that tell this
	 * application's series apart on the other export path.
	 * @param selector matchers added to every vector selector
	 * @return the rules
	 */
	public ThreadLensRules withSelector(Selector selector) {
		return new ThreadLensRules(selector, this.alerts, this.commonLabels);
	}

	/**
	 * The rule groups, recording rules first, in the names of the path Prometheus scrapes.
	 * The recording rules are named after the Micrometer path's series on both paths, so
	 * that what reads them (dashboards, federation) need not know the path; their labels are
	 * the path's.
	 * @param naming the names of the scraped path
	 * @return the groups
	 */
	public List<RuleGroup> groups(PrometheusNaming naming) {
		return List.of(new RuleGroup("threadlens.recording", recordingRules(naming)),
				new RuleGroup("threadlens.alerts", alertingRules(naming)));
	}

	private List<Rule> recordingRules(PrometheusNaming naming) {
		String rejected = PrometheusNaming.MICROMETER.name(ThreadLensMeters.EXECUTOR_REJECTED);
		return List.of(sum("pool_state", ThreadLensMeters.THREADS_POOL_STATES, naming),
				sum("pool_reason", ThreadLensMeters.THREADS_BLOCKING, naming),
				quantile(ThreadLensMeters.EXECUTOR_IDLE, "0.5", "p50", naming),
				quantile(ThreadLensMeters.EXECUTOR_IDLE, "0.99", "p99", naming),
				quantile(ThreadLensMeters.EXECUTOR, "0.99", "p99", naming),
				new Rule.Recording("name:" + rejected.substring(0, rejected.length() - "_total".length()) + ":rate5m",
						"sum without (instance) (rate("
								+ naming.select(ThreadLensMeters.EXECUTOR_REJECTED, this.selector) + "[5m]))"));
	}

	private Rule sum(String level, MeterDefinition gauge, PrometheusNaming naming) {
		return new Rule.Recording(level + ":" + PrometheusNaming.MICROMETER.name(gauge) + ":sum",
				"sum without (instance) (" + naming.select(gauge, this.selector) + ")");
	}

	private Rule quantile(MeterDefinition timer, String quantile, String label, PrometheusNaming naming) {
		return new Rule.Recording("name:" + PrometheusNaming.MICROMETER.name(timer) + ":" + label + "_rate5m",
				"histogram_quantile(" + quantile + ", sum without (instance) (rate("
						+ naming.buckets(timer, this.selector) + "[5m])))");
	}

	private List<Rule> alertingRules(PrometheusNaming naming) {
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
			annotations.put("summary", alert.summary(naming));
			annotations.put("description", alert.description(naming));
			if (!settings.runbookUrl().isEmpty()) {
				annotations.put("runbook_url", settings.runbookUrl());
			}
			annotations.putAll(settings.annotations());
			rules.add(new Rule.Alerting(alert.alertName(), alert.expr(naming, this.selector, settings.threshold()),
					settings.forDuration(), labels, annotations));
		}
		return rules;
	}

}
