package io.github.threadlens.autoconfigure;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.TimerSink;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.executor.ExecutorMonitors;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for executor instrumentation: the
 * monitors, their counters as a catalog family, and the {@link ThreadLens} handle.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = { ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
		ThreadLensOpenTelemetryAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ExecutorsProperties.class)
public final class ThreadLensExecutorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ExecutorMonitors threadLensExecutorMonitors(ObjectProvider<TimerSink> timerSinks, ThreadAttribution attribution,
			ExecutorsProperties properties) {
		return new ExecutorMonitors(new TimerSinks(timerSinks.orderedStream().toList()), attribution,
				properties.histogram().buckets());
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensExecutorMeters")
	ObservedMeters threadLensExecutorMeters(ExecutorMonitors monitors) {
		return monitors.meters();
	}

	@Bean
	@ConditionalOnMissingBean
	ThreadLens threadLens(ExecutorMonitors monitors) {
		return new ThreadLens(monitors);
	}

}
