package io.github.threadlens.autoconfigure;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.TimerSink;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.TaskExecutorInstrumentation;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

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

	// Static, and reading its properties straight from the environment, so that this
	// post-processor creates no other bean early.
	@Bean
	@ConditionalOnClass(ThreadPoolTaskExecutor.class)
	static TaskExecutorInstrumentation threadLensTaskExecutorInstrumentation(ObjectProvider<ExecutorMonitors> monitors,
			Environment environment) {
		ExecutorsProperties properties = Binder.get(environment)
			.bindOrCreate("threadlens.executors", ExecutorsProperties.class);
		return new TaskExecutorInstrumentation(monitors, properties.include(), properties.exclude());
	}

}
