package io.github.threadlens.autoconfigure;

import java.lang.management.ManagementFactory;

import io.github.threadlens.actuate.DeadlockHealthIndicator;
import io.github.threadlens.actuate.ThreadLeakHealthIndicator;
import io.github.threadlens.blocking.DeadlockDetector;
import io.github.threadlens.blocking.LeakDetector;
import io.github.threadlens.blocking.ThreadGrouping;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadRoster;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for ThreadLens's health indicators:
 * {@code deadlock} goes DOWN while threads are deadlocked
 * ({@code management.health.deadlock.enabled=false} turns it off), and {@code threadLeak}
 * names the pools suspected of leaking threads
 * ({@code management.health.threadleak.enabled=false}).
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensBlockingAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
public final class ThreadLensHealthAutoConfiguration {

	@Bean
	@ConditionalOnBean(DeadlockDetector.class)
	@ConditionalOnEnabledHealthIndicator("deadlock")
	@ConditionalOnMissingBean(name = "deadlockHealthIndicator")
	DeadlockHealthIndicator deadlockHealthIndicator(DeadlockDetector detector) {
		return new DeadlockHealthIndicator(detector);
	}

	@Bean
	@ConditionalOnBean({ LeakDetector.class, PoolNamer.class })
	@ConditionalOnEnabledHealthIndicator("threadleak")
	@ConditionalOnMissingBean(name = "threadLeakHealthIndicator")
	ThreadLeakHealthIndicator threadLeakHealthIndicator(LeakDetector detector, PoolNamer namer) {
		return new ThreadLeakHealthIndicator(detector,
				new ThreadGrouping(ManagementFactory.getThreadMXBean(), new ThreadRoster(namer)));
	}

}
