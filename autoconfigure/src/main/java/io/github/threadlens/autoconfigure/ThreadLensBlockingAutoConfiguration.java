package io.github.threadlens.autoconfigure;

import java.lang.management.ManagementFactory;

import io.github.threadlens.blocking.DeadlockDetector;
import io.github.threadlens.catalog.ObservedMeters;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the collectors of why threads
 * wait: deadlock detection.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensCensusAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
public final class ThreadLensBlockingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DeadlockDetector threadLensDeadlockDetector(CensusProperties census) {
		return new DeadlockDetector(ManagementFactory.getThreadMXBean(), census.maxAge(), System::nanoTime);
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensDeadlockMeters")
	ObservedMeters threadLensDeadlockMeters(DeadlockDetector detector) {
		return detector.meters();
	}

}
