package io.github.threadlens.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Lock latency from JFR.
 *
 * @param enabled Whether ThreadLens streams JFR's monitor-enter and park events into
 * 'jvm.threads.monitor.contention' and 'jvm.threads.park'
 * @param threshold Shortest wait recorded; JFR drops shorter events before they cost anything
 */
@ConfigurationProperties(prefix = "threadlens.jfr", ignoreUnknownFields = false)
public record JfrProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10ms") Duration threshold) {

	public JfrProperties {
		if (threshold.isNegative()) {
			throw PropertyBounds.invalid("threadlens.jfr.threshold", threshold,
					"a wait cannot be shorter than zero", "use a duration of 0 or more, such as 10ms");
		}
		PropertyBounds.requireAtMostMaxDuration("threadlens.jfr.threshold", threshold);
	}

}
