package io.github.threadlens.autoconfigure;

import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.ThreadCensus;
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
import org.springframework.util.ClassUtils;

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

	private static final String VIRTUAL_THREAD_METRICS = "io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics";

	@Bean
	@ConditionalOnMissingBean
	MicrometerTimerSink threadLensMicrometerTimerSink(MeterRegistry registry) {
		return new MicrometerTimerSink(registry);
	}

	@Bean
	@ConditionalOnMissingBean
	ObservedMeterBinder threadLensObservedMeterBinder(ObjectProvider<ObservedMeters> families) {
		// Where micrometer-java21 is usable, Boot binds its VirtualThreadMetrics, which
		// publishes the scheduler gauges under the same names.
		boolean micrometerBindsVirtualThreads = ClassUtils.isPresent(VIRTUAL_THREAD_METRICS,
				getClass().getClassLoader());
		return new ObservedMeterBinder(families.orderedStream().toList(),
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
