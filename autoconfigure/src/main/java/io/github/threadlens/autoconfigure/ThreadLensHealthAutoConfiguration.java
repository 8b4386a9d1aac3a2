package io.github.threadlens.autoconfigure;

import io.github.threadlens.actuate.DeadlockHealthIndicator;
import io.github.threadlens.blocking.DeadlockDetector;

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
 * ({@code management.health.deadlock.enabled=false} turns it off).
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensBlockingAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(DeadlockDetector.class)
@ConditionalOnEnabledHealthIndicator("deadlock")
public final class ThreadLensHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "deadlockHealthIndicator")
	DeadlockHealthIndicator deadlockHealthIndicator(DeadlockDetector detector) {
		return new DeadlockHealthIndicator(detector);
	}

}
