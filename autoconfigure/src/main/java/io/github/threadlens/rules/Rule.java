package io.github.threadlens.rules;

import java.time.Duration;
import java.util.Map;

/**
 * One rule of a Prometheus rule file.
 */
public sealed interface Rule {

	/**
	 * The PromQL expression.
	 * @return the expression
	 */
	String expr();

	/**
	 * A recording rule: the expression's result stored as a new series.
	 *
	 * @param record the new series name, {@code level:metric:operations}
	 * @param expr the expression
	 */
	record Recording(String record, String expr) implements Rule {

	}

	/**
	 * An alerting rule.
	 *
	 * @param alert the alert name
	 * @param expr the expression; every series it returns is an alert
	 * @param forDuration how long the expression must hold before the alert fires
	 * @param labels labels added to the alert, severity included
	 * @param annotations summary, description, runbook URL
	 */
	record Alerting(String alert, String expr, Duration forDuration, Map<String, String> labels,
			Map<String, String> annotations) implements Rule {

		public Alerting {
			labels = Map.copyOf(labels);
			annotations = Map.copyOf(annotations);
		}

	}

}
