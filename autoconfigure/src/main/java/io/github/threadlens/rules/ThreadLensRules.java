package io.github.threadlens.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The rule file ThreadLens serves: recording rules that aggregate its meters across
 * instances, for dashboards, federation and remote write, and its alerts, tuned by
 * settings; rendered in the names of either export path.
 * <p>
 * Each recording rule keeps only the labels it is named after ({@code level:metric:operations}):
 * the aggregation labels that tell applications apart in a fleet, then the meter's own tags.
 * Summing by them rather than without {@code instance} keeps labels a scrape adds (a pod's,
 * a node's) from multiplying the series a fleet records.
 */
public final class ThreadLensRules {

	private final Selector selector;

	private final Map<ThreadLensAlert, AlertSettings> alerts;

	private final Map<String, String> commonLabels;

	private final List<String> aggregationLabels;

	/**
	 * Create the rules.
	 * @param selector matchers added to every vector selector
	 * @param alerts the settings of each alert; an alert with none uses its defaults
	 * @param commonLabels labels added to every alert
	 * @param aggregationLabels the labels that tell an application's series apart in a fleet,
	 * such as {@code job}, which every recording rule keeps
	 */
	public ThreadLensRules(Selector selector, Map<ThreadLensAlert, AlertSettings> alerts,
			Map<String, String> commonLabels, List<String> aggregationLabels) {
		this.selector = selector;
		this.alerts = Map.copyOf(alerts);
		this.commonLabels = Map.copyOf(commonLabels);
		this.aggregationLabels = List.copyOf(aggregationLabels);
	}

	/**
	 * These rules for the series of another selector, such as the labels that tell this
	 * application's series apart on the other export path.
	 * @param selector matchers added to every vector selector
	 * @return the rules
	 */
	public ThreadLensRules withSelector(Selector selector) {
		return new ThreadLensRules(selector, this.alerts, this.commonLabels, this.aggregationLabels);
	}

	/**
	 * The rule groups, recording rules first, in the names of the path Prometheus scrapes.
	 * The recording rules' metrics are named after the Micrometer path's series on both
	 * paths; their levels, like their labels, are the path's.
	 * @param naming the names of the scraped path
	 * @return the groups
	 */
	public List<RuleGroup> groups(PrometheusNaming naming) {
		return List.of(new RuleGroup("threadlens.recording", recordingRules(naming)),
				new RuleGroup("threadlens.alerts", alertingRules(naming)));
	}

	private List<Rule> recordingRules(PrometheusNaming naming) {
		String rejected = PrometheusNaming.MICROMETER.name(ThreadLensMeters.EXECUTOR_REJECTED);
		Set<String> rejectedBy = by(ThreadLensMeters.EXECUTOR_REJECTED, naming);
		return List.of(sum(ThreadLensMeters.THREADS_POOL_STATES, naming),
				sum(ThreadLensMeters.THREADS_BLOCKING, naming), bucketRates(ThreadLensMeters.EXECUTOR_IDLE, naming),
				quantile(ThreadLensMeters.EXECUTOR_IDLE, "0.5", "p50", naming),
				quantile(ThreadLensMeters.EXECUTOR_IDLE, "0.99", "p99", naming),
				quantile(ThreadLensMeters.EXECUTOR, "0.99", "p99", naming),
				new Rule.Recording(
						level(rejectedBy) + ":" + rejected.substring(0, rejected.length() - "_total".length())
								+ ":rate5m",
						"sum by (" + String.join(", ", rejectedBy) + ") (rate("
								+ naming.select(ThreadLensMeters.EXECUTOR_REJECTED, this.selector) + "[5m]))"));
	}

	private Rule sum(MeterDefinition gauge, PrometheusNaming naming) {
		Set<String> by = by(gauge, naming);
		return new Rule.Recording(level(by) + ":" + PrometheusNaming.MICROMETER.name(gauge) + ":sum",
				"sum by (" + String.join(", ", by) + ") (" + naming.select(gauge, this.selector) + ")");
	}

	/**
	 * A timer's bucket rates, summed by the rule's labels and {@code le}: a quantile over
	 * many clusters or a whole fleet is taken from these, since quantiles cannot be summed.
	 */
	private Rule bucketRates(MeterDefinition timer, PrometheusNaming naming) {
		Set<String> by = by(timer, naming);
		by.add("le");
		return new Rule.Recording(level(by) + ":" + PrometheusNaming.MICROMETER.name(timer) + "_bucket:rate5m",
				"sum by (" + String.join(", ", by) + ") (rate(" + naming.buckets(timer, this.selector) + "[5m]))");
	}

	private Rule quantile(MeterDefinition timer, String quantile, String label, PrometheusNaming naming) {
		Set<String> by = by(timer, naming);
		Set<String> buckets = new LinkedHashSet<>(by);
		buckets.add("le");
		return new Rule.Recording(
				level(by) + ":" + PrometheusNaming.MICROMETER.name(timer) + ":" + label + "_rate5m",
				"histogram_quantile(" + quantile + ", sum by (" + String.join(", ", buckets) + ") (rate("
						+ naming.buckets(timer, this.selector) + "[5m])))");
	}

	/**
	 * The labels a recording rule of a meter keeps: the aggregation labels, then the meter's
	 * tags as the path names them.
	 */
	private Set<String> by(MeterDefinition definition, PrometheusNaming naming) {
		Set<String> labels = new LinkedHashSet<>(this.aggregationLabels);
		definition.tagKeys().forEach((tagKey) -> labels.add(naming.label(tagKey)));
		return labels;
	}

	private static String level(Set<String> labels) {
		return String.join("_", labels);
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
