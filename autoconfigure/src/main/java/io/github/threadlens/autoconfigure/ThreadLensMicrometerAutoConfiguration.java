package io.github.threadlens.autoconfigure;

import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.MicrometerTimerSink;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.export.micrometer.OtherMeterBinders;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.jvm.convention.JvmThreadMeterConventions;

import org.springframework.beans.factory.ListableBeanFactory;
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
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
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

	static final String VIRTUAL_THREAD_METRICS = "io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics";

	/**
	 * The binders found among the application's beans when the sink binds, after every
	 * singleton exists: Boot creates {@code VirtualThreadMetrics} reflectively, so only the
	 * bean itself says that it is there.
	 */
	@Bean
	@ConditionalOnMissingBean
	OtherMeterBinders threadLensOtherMeterBinders(ListableBeanFactory beans) {
		return new OtherMeterBinders(() -> BeanTypes.hasBean(beans, JvmThreadMetrics.class.getName()),
				() -> BeanTypes.hasBean(beans, VIRTUAL_THREAD_METRICS),
				() -> BeanTypes.hasBean(beans, TaskExecutorMetricsAutoConfiguration.class.getName()));
	}

	@Bean
	@ConditionalOnMissingBean
	MicrometerTimerSink threadLensMicrometerTimerSink(MeterRegistry registry, OtherMeterBinders others) {
		return new MicrometerTimerSink(registry, others);
	}

	@Bean
	@ConditionalOnMissingBean
	ObservedMeterBinder threadLensObservedMeterBinder(ObjectProvider<ObservedMeters> families,
			OtherMeterBinders others) {
		return new ObservedMeterBinder(families.orderedStream().toList(), others);
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
