package io.github.threadlens.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Thread leak detection.
 *
 * @param enabled Whether pools are watched for thread leaks
 * @param window How long a pool's thread count must keep growing, without falling back, to be
 * suspected of leaking
 * @param minGrowth Fewest threads a pool must have gained over the window to be suspected
 */
@ConfigurationProperties(prefix = "threadlens.leak", ignoreUnknownFields = false)
public record LeakProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10m") Duration window,
		@DefaultValue("20") int minGrowth) {

	public LeakProperties {
		if (window.isNegative() || window.isZero()) {
			throw PropertyBounds.invalid("threadlens.leak.window", window,
					"growth is measured over a window of time", "use a positive duration, such as 10m");
		}
		PropertyBounds.requireAtMostMaxDuration("threadlens.leak.window", window);
		if (minGrowth < 1) {
			throw PropertyBounds.invalid("threadlens.leak.min-growth", minGrowth,
					"a pool that did not grow is not leaking", "use a positive number of threads, such as 20");
		}
	}

}
