package io.github.threadlens.autoconfigure;

import java.util.List;

import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.census.CensusMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.executor.VirtualThreadScheduler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnJava;
import org.springframework.boot.system.JavaVersion;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.context.annotation.Configuration;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the thread census: pool naming,
 * the census itself, the pool cap, and the catalog meters they measure. Nothing here
 * publishes; every sink publishes the {@link ObservedMeters} beans.
 *
 * @author ThreadLens
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ CensusProperties.class, PoolsProperties.class, CardinalityProperties.class })
// Here, since every other ThreadLens configuration comes after this one and is off when it is.
@ImportRuntimeHints(ThreadLensRuntimeHints.class)
public final class ThreadLensCensusAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ThreadAttribution threadLensThreadAttribution() {
		return new ThreadAttribution();
	}

	@Bean
	@ConditionalOnMissingBean
	PoolNamer threadLensPoolNamer(ThreadAttribution attribution, PoolsProperties properties) {
		return new PoolNamer(attribution, properties.namingRules(), properties.maxNameLength());
	}

	@Bean
	@ConditionalOnMissingBean
	ThreadCensus threadLensCensus(PoolNamer namer, CensusProperties properties) {
		return new ThreadCensus(namer, properties.maxAge());
	}

	@Bean
	@ConditionalOnMissingBean
	CappedPoolStates threadLensPoolStates(ThreadCensus census, CardinalityProperties cardinality,
			CensusProperties properties) {
		return new CappedPoolStates(census, new PoolCap(cardinality.maxPools()), properties.poolStates(),
				cardinality.gracePeriod(), System::nanoTime);
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensCensusMeters")
	ObservedMeters threadLensCensusMeters(ThreadCensus census) {
		return CensusMeters.of(census);
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensPoolStateMeters")
	ObservedMeters threadLensPoolStateMeters(CappedPoolStates poolStates) {
		return poolStates.meters();
	}

	/**
	 * The virtual thread scheduler's gauges, from the MXBean that JDK 24 added.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnJava(JavaVersion.TWENTY_FOUR)
	static class VirtualThreadSchedulerConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "threadLensVirtualThreadMeters")
		ObservedMeters threadLensVirtualThreadMeters() {
			VirtualThreadScheduler scheduler = VirtualThreadScheduler.ofThisJvm();
			return (scheduler != null) ? scheduler.meters() : new ObservedMeters("virtual-threads", true, List.of());
		}

	}

}
