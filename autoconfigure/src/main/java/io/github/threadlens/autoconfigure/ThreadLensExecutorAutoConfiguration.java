package io.github.threadlens.autoconfigure;

import java.util.concurrent.ForkJoinPool;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.catalog.ExemplarContext;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.TimerSink;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.executor.AsyncMethodInstrumentation;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.executor.ExecutorServiceInstrumentation;
import io.github.threadlens.executor.TaskExecutorInstrumentation;
import io.github.threadlens.executor.TaskExecutorTiming;
import io.github.threadlens.executor.reactor.ReactorSchedulerInstrumentation;
import io.github.threadlens.executor.web.JettyRequestPoolInstrumentation;
import io.github.threadlens.executor.web.ReactorNettyEventLoopInstrumentation;
import io.github.threadlens.executor.web.TomcatRequestPoolInstrumentation;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for executor instrumentation: the
 * monitors, their counters as a catalog family, and the {@link ThreadLens} handle.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = { ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
		ThreadLensOpenTelemetryAutoConfiguration.class, ThreadLensExemplarsAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ExecutorsProperties.class)
public final class ThreadLensExecutorAutoConfiguration {

	/** The common pool's name, as the census names its workers' pool. */
	private static final String COMMON_POOL = "ForkJoinPool.commonPool";

	@Bean
	@ConditionalOnMissingBean
	ExecutorMonitors threadLensExecutorMonitors(ObjectProvider<TimerSink> timerSinks, ThreadAttribution attribution,
			ExecutorsProperties properties, ObjectProvider<ExemplarContext> exemplars) {
		ExecutorMonitors monitors = new ExecutorMonitors(new TimerSinks(timerSinks.orderedStream().toList()),
				attribution, properties.histogram().buckets(), exemplars.getIfAvailable(() -> ExemplarContext.NONE));
		if (properties.filter().matches(COMMON_POOL)) {
			monitors.observe(ForkJoinPool.commonPool(), COMMON_POOL);
		}
		return monitors;
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensExecutorMeters")
	ObservedMeters threadLensExecutorMeters(ExecutorMonitors monitors) {
		return monitors.meters();
	}

	@Bean
	@ConditionalOnMissingBean(name = "threadLensSpringExecutorPoolMeters")
	ObservedMeters threadLensSpringExecutorPoolMeters(ExecutorMonitors monitors) {
		return monitors.springPoolMeters();
	}

	@Bean
	@ConditionalOnMissingBean
	ThreadLens threadLens(ExecutorMonitors monitors) {
		return new ThreadLens(monitors);
	}

	// Static, and reading their properties straight from the environment, so that these
	// post-processors create no other bean early.
	@Bean
	@ConditionalOnClass(ThreadPoolTaskExecutor.class)
	@ConditionalOnMissingBean
	static TaskExecutorInstrumentation threadLensTaskExecutorInstrumentation(ObjectProvider<ExecutorMonitors> monitors,
			ObjectProvider<TaskExecutorTiming> timing, Environment environment) {
		return new TaskExecutorInstrumentation(monitors, timing, filter(environment));
	}

	@Bean
	@ConditionalOnClass(ThreadPoolTaskExecutor.class)
	@ConditionalOnMissingBean
	TaskExecutorTiming threadLensTaskExecutorTiming(ObjectProvider<TaskDecorator> decorators,
			Environment environment) {
		return new TaskExecutorTiming(decorators, Threading.VIRTUAL.isActive(environment));
	}

	// Not ordered, so that it runs after Spring's AsyncAnnotationBeanPostProcessor.
	@Bean
	@ConditionalOnMissingBean
	static AsyncMethodInstrumentation threadLensAsyncMethodInstrumentation() {
		return new AsyncMethodInstrumentation();
	}

	@Bean
	@ConditionalOnMissingBean
	static ExecutorServiceInstrumentation threadLensExecutorServiceInstrumentation(
			ObjectProvider<ExecutorMonitors> monitors, Environment environment) {
		return new ExecutorServiceInstrumentation(monitors, filter(environment));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, ConfigurableTomcatWebServerFactory.class })
	@ConditionalOnWebApplication
	static class TomcatRequestPoolConfiguration {

		@Bean
		@ConditionalOnMissingBean
		TomcatRequestPoolInstrumentation threadLensTomcatRequestPoolInstrumentation(
				ObjectProvider<ExecutorMonitors> monitors, ExecutorsProperties properties) {
			return new TomcatRequestPoolInstrumentation(monitors, properties.filter(), properties.tomcat().timed());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(Schedulers.class)
	@ConditionalOnBooleanProperty(name = "threadlens.executors.reactor.enabled", matchIfMissing = true)
	static class ReactorSchedulersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactorSchedulerInstrumentation threadLensReactorSchedulerInstrumentation(ExecutorMonitors monitors,
				ExecutorsProperties properties) {
			return new ReactorSchedulerInstrumentation(monitors, properties.filter());
		}

		// A lifecycle rather than the bean's creation, so that a context that is refreshed
		// but never started, or is stopped, holds no JVM-wide decorator.
		@Bean
		@ConditionalOnMissingBean(name = "threadLensReactorSchedulerLifecycle")
		CollectorLifecycle threadLensReactorSchedulerLifecycle(ReactorSchedulerInstrumentation instrumentation) {
			return new CollectorLifecycle(instrumentation::start, instrumentation::close);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ QueuedThreadPool.class, JettyWebServerFactory.class, JettyServerProperties.class })
	@ConditionalOnWebApplication
	static class JettyRequestPoolConfiguration {

		@Bean
		@ConditionalOnMissingBean
		JettyRequestPoolInstrumentation threadLensJettyRequestPoolInstrumentation(
				ObjectProvider<ExecutorMonitors> monitors, ObjectProvider<JettyServerProperties> jettyProperties,
				ExecutorsProperties properties) {
			return new JettyRequestPoolInstrumentation(monitors, jettyProperties, properties.filter());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(NettyReactiveWebServerFactory.class)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactorNettyEventLoopConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactorNettyEventLoopInstrumentation threadLensReactorNettyEventLoopInstrumentation(
				ObjectProvider<ExecutorMonitors> monitors, ObjectProvider<PoolNamer> namer,
				ExecutorsProperties properties) {
			return new ReactorNettyEventLoopInstrumentation(monitors, namer, properties.filter());
		}

	}

	static ExecutorNameFilter filter(Environment environment) {
		return Binder.get(environment).bindOrCreate("threadlens.executors", ExecutorsProperties.class).filter();
	}

}
