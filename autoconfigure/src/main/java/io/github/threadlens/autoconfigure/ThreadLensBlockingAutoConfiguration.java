package io.github.threadlens.autoconfigure;

import java.lang.management.ManagementFactory;
import java.util.OptionalInt;

import io.github.threadlens.blocking.BlockingSampler;
import io.github.threadlens.blocking.CollectorFailures;
import io.github.threadlens.blocking.ContentionMonitoring;
import io.github.threadlens.blocking.DeadlockDetector;
import io.github.threadlens.blocking.JfrContention;
import io.github.threadlens.blocking.LeakDetector;
import io.github.threadlens.blocking.LockSnapshots;
import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.TimerSink;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.executor.ExecutorMonitors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the collectors of why threads
 * wait: the budgeted blocking sampler, contention times, JFR lock latency, deadlock detection
 * and thread leak detection.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensCensusAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ SamplingProperties.class, LeakProperties.class, JfrProperties.class })
public final class ThreadLensBlockingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CollectorFailures threadLensCollectorFailures() {
		return new CollectorFailures();
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensCollectorFailureMeters")
	ObservedMeters threadLensCollectorFailureMeters(CollectorFailures failures) {
		return failures.meters();
	}

	@Bean
	@ConditionalOnMissingBean
	LockSnapshots threadLensLockSnapshots() {
		return new LockSnapshots(ManagementFactory.getThreadMXBean(), System::nanoTime);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "threadlens.sampling.enabled", matchIfMissing = true)
	BlockingSampler threadLensBlockingSampler(PoolNamer namer, CappedPoolStates poolStates, LockSnapshots snapshots,
			SamplingProperties properties, CollectorFailures failures) {
		return new BlockingSampler(ManagementFactory.getThreadMXBean(), new ThreadRoster(namer), snapshots,
				() -> poolStates.current().pools(), poolStates::retainedPools, properties.settings(), System::nanoTime,
				failures);
	}

	@Bean
	@ConditionalOnBean(BlockingSampler.class)
	@ConditionalOnMissingBean(name = "threadLensBlockingSamplerLifecycle")
	CollectorLifecycle threadLensBlockingSamplerLifecycle(BlockingSampler sampler) {
		return new CollectorLifecycle(sampler::start, sampler::close);
	}

	@Bean
	@ConditionalOnBean(BlockingSampler.class)
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "threadlens.contention-monitoring.enabled", matchIfMissing = true)
	ContentionMonitoring threadLensContentionMonitoring(CollectorFailures failures) {
		return new ContentionMonitoring(ManagementFactory.getThreadMXBean(), failures);
	}

	@Bean
	@ConditionalOnBean(ContentionMonitoring.class)
	@ConditionalOnMissingBean(name = "threadLensContentionMonitoringLifecycle")
	CollectorLifecycle threadLensContentionMonitoringLifecycle(ContentionMonitoring monitoring) {
		return new CollectorLifecycle(monitoring::start, monitoring::close);
	}

	@Bean
	@ConditionalOnBean(BlockingSampler.class)
	@ConditionalOnMissingBean(name = "threadLensBlockingMeters")
	ObservedMeters threadLensBlockingMeters(BlockingSampler sampler) {
		return sampler.meters();
	}

	@Bean
	@ConditionalOnMissingBean
	DeadlockDetector threadLensDeadlockDetector(LockSnapshots snapshots, CensusProperties census,
			CollectorFailures failures) {
		return new DeadlockDetector(snapshots, census.maxAge(), System::nanoTime, failures);
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensDeadlockMeters")
	ObservedMeters threadLensDeadlockMeters(DeadlockDetector detector) {
		return detector.meters();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "threadlens.leak.enabled", matchIfMissing = true)
	LeakDetector threadLensLeakDetector(ThreadCensus census, CappedPoolStates poolStates, LeakProperties properties,
			ObjectProvider<ExecutorMonitors> executors) {
		// Bounded executor pools at their maximum are full, not leaking.
		return new LeakDetector(census, properties.window(), properties.minGrowth(), (pool) -> {
			ExecutorMonitors monitors = executors.getIfAvailable();
			return (monitors != null) ? monitors.maxThreads(pool) : OptionalInt.empty();
		}, () -> poolStates.current().pools(), System::nanoTime);
	}

	@Bean
	@ConditionalOnBean(LeakDetector.class)
	@ConditionalOnMissingBean(name = "threadLensLeakMeters")
	ObservedMeters threadLensLeakMeters(LeakDetector detector) {
		return detector.meters();
	}

	/**
	 * JFR lock latency, apart so that a runtime without the jdk.jfr module never loads it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "jdk.jfr.consumer.RecordingStream")
	@ConditionalOnBooleanProperty(name = "threadlens.jfr.enabled", matchIfMissing = true)
	static class JfrConfiguration {

		@Bean(destroyMethod = "close")
		@ConditionalOnMissingBean
		JfrContention threadLensJfrContention(ObjectProvider<TimerSink> timerSinks, PoolNamer namer,
				CappedPoolStates poolStates, CardinalityProperties cardinality) {
			JfrContention contention = new JfrContention(new TimerSinks(timerSinks.orderedStream().toList()), namer,
					cardinality.maxClasses());
			poolStates.onRetainedPools(contention::retain);
			return contention;
		}

		@Bean
		@ConditionalOnBean(JfrContention.class)
		@ConditionalOnMissingBean(name = "threadLensJfrContentionLifecycle")
		CollectorLifecycle threadLensJfrContentionLifecycle(JfrContention contention, JfrProperties jfr,
				CollectorFailures failures) {
			return new CollectorLifecycle(() -> contention.start(jfr.threshold(), failures), contention::close);
		}

	}

	/**
	 * A runtime without the jdk.jfr module (a jlink image, or {@code --limit-modules} without
	 * it): the JFR timers cannot be published, which is logged once and counted like any
	 * collector that cannot run.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("jdk.jfr.consumer.RecordingStream")
	@ConditionalOnBooleanProperty(name = "threadlens.jfr.enabled", matchIfMissing = true)
	static class MissingJfrConfiguration {

		@Bean
		SmartInitializingSingleton threadLensJfrUnavailable(CollectorFailures failures) {
			return () -> failures.unavailable("jfr", "This runtime has no jdk.jfr module: "
					+ "jvm.threads.monitor.contention and jvm.threads.park are not published; add the module to "
					+ "the runtime, or set threadlens.jfr.enabled=false not to try");
		}

	}

}
