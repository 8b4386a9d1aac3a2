package io.github.threadlens.executor;

import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.core.instrument.MeterRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outcomes of one executor's tasks: runs timed on the executor (completed or failed), of
 * which failed, and rejected. Completed is {@code runs - failed}.
 *
 * @param runs tasks that ran on the executor, {@code executor_seconds_count}
 * @param failed those of them that failed, {@code executor_failed_tasks_total}
 * @param rejected tasks its rejection policy kept off it, {@code executor_rejected_tasks_total}
 */
record Outcomes(long runs, long failed, long rejected) {

	/**
	 * The outcomes as a meter registry publishes them; every timed run must have had its
	 * queue wait recorded too.
	 * @param registry the registry
	 * @param name the executor's name
	 * @return the outcomes
	 */
	static Outcomes published(MeterRegistry registry, String name) {
		long runs = registry.get("executor").tag("name", name).timer().count();
		assertThat(registry.get("executor.idle").tag("name", name).timer().count()).as("queue waits of " + name)
			.isEqualTo(runs);
		return new Outcomes(runs, (long) registry.get("executor.failed").tag("name", name).functionCounter().count(),
				(long) registry.get("executor.rejected").tag("name", name).functionCounter().count());
	}

	/**
	 * The outcomes as a Prometheus scrape shows them.
	 * @param scrape the exposition
	 * @param name the executor's name
	 * @return the outcomes
	 */
	static Outcomes scraped(String scrape, String name) {
		String labels = "name=\"" + name + "\"";
		long runs = (long) Scrapes.value(scrape, "executor_seconds_count", labels);
		assertThat((long) Scrapes.value(scrape, "executor_idle_seconds_count", labels)).as("queue waits of " + name)
			.isEqualTo(runs);
		return new Outcomes(runs, (long) Scrapes.value(scrape, "executor_failed_tasks_total", labels),
				(long) Scrapes.value(scrape, "executor_rejected_tasks_total", labels));
	}

}
