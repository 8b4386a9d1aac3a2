package io.github.threadlens.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.threadlens.executor.ExecutorNameFilter;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of executor instrumentation.
 *
 * @param histogram Histogram of the queue-wait ('executor.idle') and run-time ('executor')
 * timers
 * @param include Bean names of the executors to instrument automatically; '*' matches any
 * run of characters
 * @param exclude Bean names of executors to leave alone even when included; '*' matches any
 * run of characters
 * @param tomcat The embedded Tomcat's request pool
 * @param reactor Reactor's schedulers
 */
@ConfigurationProperties(prefix = "threadlens.executors", ignoreUnknownFields = false)
public record ExecutorsProperties(@DefaultValue Histogram histogram, @DefaultValue("*") List<String> include,
		@DefaultValue List<String> exclude, @DefaultValue Tomcat tomcat, @DefaultValue Reactor reactor) {

	public ExecutorsProperties {
		include = List.copyOf(include);
		exclude = List.copyOf(exclude);
	}

	/**
	 * The executors these properties select.
	 * @return the name filter
	 */
	public ExecutorNameFilter filter() {
		return new ExecutorNameFilter(this.include, this.exclude);
	}

	/**
	 * Histogram buckets, shared by the Micrometer and OpenTelemetry paths so that a quantile
	 * computed from either agrees.
	 *
	 * @param buckets Upper bounds of the histogram buckets, strictly increasing; P99 from
	 * 'histogram_quantile' is exact to the bucket it falls in
	 */
	public record Histogram(@DefaultValue({ "1ms", "5ms", "10ms", "25ms", "50ms", "100ms", "250ms", "500ms", "1s",
			"2500ms", "5s", "10s", "30s", "60s" }) List<Duration> buckets) {

		public Histogram {
			String property = "threadlens.executors.histogram.buckets";
			if (buckets.isEmpty()) {
				throw PropertyBounds.invalid(property, buckets, "a histogram needs at least one bucket",
						"list bucket upper bounds such as 10ms, 100ms, 1s");
			}
			Duration previous = Duration.ZERO;
			for (Duration bucket : buckets) {
				if (bucket == null) {
					throw PropertyBounds.invalid(property, buckets, "the list has an empty entry",
							"list durations separated by single commas, such as 10ms,100ms,1s");
				}
				PropertyBounds.requireAtMostMaxDuration(property, bucket);
				if (bucket.compareTo(previous) <= 0) {
					throw PropertyBounds.invalid(property, buckets,
							"bucket " + bucket + " is not positive and greater than the one before it",
							"list positive durations in strictly increasing order");
				}
				previous = bucket;
			}
			buckets = List.copyOf(buckets);
		}

	}

	/**
	 * The embedded Tomcat's request pool.
	 *
	 * @param timed Whether to time each request's wait for a worker and its processing
	 * ('executor.idle', 'executor') by giving the connector a pool built as Tomcat builds its
	 * own; Tomcat then reports the pool as external, so its 'maxThreads' (JMX) and Boot's
	 * 'tomcat.threads.config.max' read -1. Off, Tomcat keeps its own pool, whose gauges,
	 * rejections and threads are still published
	 */
	public record Tomcat(@DefaultValue("false") boolean timed) {

	}

	/**
	 * Reactor's schedulers.
	 *
	 * @param enabled Whether to time the tasks of Reactor's schedulers ('parallel',
	 * 'boundedElastic', 'single' and those the application creates) and publish their pool
	 * gauges, each scheduler as one executor named as its threads are, through an
	 * executor-service decorator Reactor applies JVM-wide to the schedulers created after
	 * the context starts
	 */
	public record Reactor(@DefaultValue("true") boolean enabled) {

	}

}
