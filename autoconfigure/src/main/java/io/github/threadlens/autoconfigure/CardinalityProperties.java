package io.github.threadlens.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on the tag values ThreadLens publishes, so that no thread-naming habit can grow
 * the number of series without limit.
 *
 * @param maxPools Largest number of pools published under their own name; the others
 * fold into 'pool="other"' and are counted in 'threadlens.cardinality.overflow'
 * @param maxClasses Largest number of monitor and blocker classes the JFR lock timers tag by
 * name; classes seen after them are tagged 'class="other"'
 * @param gracePeriod How long the counters and timers of a pool that left the published set
 * keep its series before they are removed, so that what it counted last reaches a scrape or an
 * export; at most max-pools pools are in their grace period at once
 */
@ConfigurationProperties(prefix = "threadlens.cardinality", ignoreUnknownFields = false)
public record CardinalityProperties(@DefaultValue("64") int maxPools, @DefaultValue("32") int maxClasses,
		@DefaultValue("1m") Duration gracePeriod) {

	public CardinalityProperties {
		if (maxPools < 1) {
			throw PropertyBounds.invalid("threadlens.cardinality.max-pools", maxPools,
					"at least one pool must be published by name", "use a positive number, such as 64");
		}
		if (maxClasses < 1) {
			throw PropertyBounds.invalid("threadlens.cardinality.max-classes", maxClasses,
					"at least one class must be tagged by name", "use a positive number, such as 32");
		}
		PropertyBounds.requireAtMostMaxCap("threadlens.cardinality.max-pools", maxPools);
		PropertyBounds.requireAtMostMaxCap("threadlens.cardinality.max-classes", maxClasses);
		if (gracePeriod.isNegative()) {
			throw PropertyBounds.invalid("threadlens.cardinality.grace-period", gracePeriod,
					"a pool cannot be kept for less than no time",
					"use a duration of 0 or more, such as 1m; 0s removes a pool's series at the first census that "
							+ "finds it gone");
		}
		PropertyBounds.requireAtMostMaxDuration("threadlens.cardinality.grace-period", gracePeriod);
	}

}
