package io.github.threadlens.autoconfigure;

import java.time.Duration;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the thread census: the one pass over live platform threads that every
 * thread-state gauge reads.
 *
 * @param maxAge How long a census snapshot is reused before the next read takes a new one;
 * every gauge of a scrape and concurrent scrapes within this age share one pass
 * @param replaceJvmThreadMetrics Whether the census-backed binder replaces Spring Boot's
 * 'JvmThreadMetrics' bean (same meters and values, one pass instead of six full thread
 * dumps per scrape); false keeps Boot's
 * @param poolStates Thread states published per pool in 'jvm.threads.pool.states';
 * 'new' and 'terminated' are left out by default because a live thread is never
 * in either
 */
@ConfigurationProperties(prefix = "threadlens.census", ignoreUnknownFields = false)
public record CensusProperties(@DefaultValue("1s") Duration maxAge,
		@DefaultValue("true") boolean replaceJvmThreadMetrics,
		@DefaultValue({ "runnable", "blocked", "waiting", "timed-waiting" }) Set<Thread.State> poolStates) {

	public CensusProperties {
		if (maxAge.isNegative()) {
			throw PropertyBounds.invalid("threadlens.census.max-age", maxAge,
					"the snapshot age cannot be negative", "use a duration of 0 or more, such as '1s'");
		}
		PropertyBounds.requireAtMostMaxDuration("threadlens.census.max-age", maxAge);
		if (poolStates.isEmpty()) {
			throw PropertyBounds.invalid("threadlens.census.pool-states", poolStates,
					"at least one state must be published",
					"list one or more of runnable, blocked, waiting, timed-waiting, new, terminated, or set "
							+ "'management.metrics.enable.jvm.threads.pool=false' to turn the meter off");
		}
		poolStates = Set.copyOf(poolStates);
	}

}
