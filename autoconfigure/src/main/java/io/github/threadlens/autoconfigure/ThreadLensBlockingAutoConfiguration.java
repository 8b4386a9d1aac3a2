package io.github.threadlens.autoconfigure;

import java.lang.management.ManagementFactory;

import io.github.threadlens.blocking.BlockingSampler;
import io.github.threadlens.blocking.DeadlockDetector;
import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadRoster;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the collectors of why threads
 * wait: the budgeted blocking sampler and deadlock detection.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensCensusAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@EnableConfigurationProperties(SamplingProperties.class)
public final class ThreadLensBlockingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "threadlens.sampling.enabled", matchIfMissing = true)
	BlockingSampler threadLensBlockingSampler(PoolNamer namer, CappedPoolStates poolStates,
			SamplingProperties properties) {
		BlockingSampler sampler = new BlockingSampler(ManagementFactory.getThreadMXBean(), new ThreadRoster(namer),
				() -> poolStates.current().pools(), properties.maxDepth(), properties.depthBuckets(),
				properties.interval(), properties.cpuBudget(), System::nanoTime);
		sampler.start();
		return sampler;
	}

	@Bean
	@ConditionalOnBean(BlockingSampler.class)
	@ConditionalOnMissingBean(name = "threadLensBlockingMeters")
	ObservedMeters threadLensBlockingMeters(BlockingSampler sampler) {
		return sampler.meters();
	}

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
