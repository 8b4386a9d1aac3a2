package io.github.threadlens.rules;

import java.time.Duration;
import java.util.Map;

/**
 * How one alert is tuned.
 *
 * @param enabled whether the rule file contains it
 * @param threshold the value its expression compares with, in the alert's own unit
 * @param forDuration how long the condition must hold before it fires
 * @param severity the {@code severity} label
 * @param labels further labels
 * @param annotations further annotations, or replacements of the default summary and
 * description
 * @param runbookUrl the {@code runbook_url} annotation, or empty for none
 */
public record AlertSettings(boolean enabled, double threshold, Duration forDuration, String severity,
		Map<String, String> labels, Map<String, String> annotations, String runbookUrl) {

	public AlertSettings {
		labels = Map.copyOf(labels);
		annotations = Map.copyOf(annotations);
	}

}
