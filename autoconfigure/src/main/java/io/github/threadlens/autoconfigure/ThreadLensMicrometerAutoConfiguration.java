package io.github.threadlens.autoconfigure;

import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.MicrometerTimerSink;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.jvm.convention.JvmThreadMeterConventions;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the Micrometer sink: every catalog
 * meter bound to every {@link MeterRegistry}.
 * <p>
 * Runs before Boot's {@link JvmMetricsAutoConfiguration} so that the census-backed
 * {@link JvmThreadMetrics} is the one Boot's {@code @ConditionalOnMissingBean} finds.
 *
 * @author ThreadLens
 */
@AutoConfiguration(
		after = { MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class },
		before = JvmMetricsAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnBean({ MeterRegistry.class, ThreadCensus.class })
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "threadlens.export.micrometer.enabled", matchIfMissing = true)
public final class ThreadLensMicrometerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	MicrometerTimerSink threadLensMicrometerTimerSink(MeterRegistry registry) {
		return new MicrometerTimerSink(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	ObservedMeterBinder threadLensObservedMeterBinder(ObjectProvider<ObservedMeters> families) {
		boolean micrometerBindsVirtualThreads = MicrometerVirtualThreadMetrics.isBound();
		// Boot's own executor metrics bind the pools of Spring's task executors.
		return new ObservedMeterBinder(
				families.orderedStream()
					.filter((family) -> !family.family().equals(ExecutorMonitors.SPRING_POOLS))
					.toList(),
				(meter) -> ThreadLensMeters.isJvmThreadMetrics(meter)
						|| (micrometerBindsVirtualThreads && ThreadLensMeters.isVirtualThreadMetrics(meter)));
	}

	@Bean
	@ConditionalOnMissingBean(JvmThreadMetrics.class)
	@ConditionalOnBooleanProperty(name = "threadlens.census.replace-jvm-thread-metrics", matchIfMissing = true)
	CensusJvmThreadMetrics jvmThreadMetrics(ThreadCensus census,
			ObjectProvider<JvmThreadMeterConventions> conventions) {
		JvmThreadMeterConventions custom = conventions.getIfAvailable();
		return (custom != null) ? new CensusJvmThreadMetrics(census, custom) : new CensusJvmThreadMetrics(census);
	}

}
