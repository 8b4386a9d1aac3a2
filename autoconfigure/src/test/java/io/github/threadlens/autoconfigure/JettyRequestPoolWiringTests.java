package io.github.threadlens.autoconfigure;

import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.web.JettyRequestPoolInstrumentation;
import io.github.threadlens.executor.web.TomcatRequestPoolInstrumentation;
import io.micrometer.core.instrument.MeterRegistry;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ExecutorThreadPool;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.jetty.reactive.JettyReactiveWebServerFactory;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Jetty wiring: present only with Jetty's and Boot's Jetty classes, so that an
 * application on Tomcat never loads them; and which pools it replaces, keeps or leaves.
 */
class JettyRequestPoolWiringTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
				ThreadLensExecutorAutoConfiguration.class))
		.withBean(JettyServerProperties.class, JettyServerProperties::new);

	@Test
	void withoutJettyTheTomcatWiringAloneIsThere() {
		this.runner.withClassLoader(new FilteredClassLoader("org.eclipse.jetty.", "org.springframework.boot.jetty."))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(JettyRequestPoolInstrumentation.class)
				.hasSingleBean(TomcatRequestPoolInstrumentation.class));
	}

	@Test
	void bootsPoolIsReplacedByATimedOneWithTheSameSettings() {
		this.runner.run((context) -> {
			JettyServletWebServerFactory factory = new JettyServletWebServerFactory(8080);
			factory.setThreadPool(new QueuedThreadPool(200, 8, 60_000, null));
			context.getBean(JettyRequestPoolInstrumentation.class).customize(factory);
			QueuedThreadPool pool = (QueuedThreadPool) factory.getThreadPool();
			assertThat(pool.getClass()).isNotEqualTo(QueuedThreadPool.class);
			assertThat(pool.getName()).isEqualTo("jetty-8080");
			assertThat(pool.getMaxThreads()).isEqualTo(200);
			assertThat(pool.getMinThreads()).isEqualTo(8);
			assertThat(pool.getIdleTimeout()).isEqualTo(60_000);
			assertThat(maxThreads(context.getBean(MeterRegistry.class), "jetty-8080")).isEqualTo(200);
			// Full to its bound, its threads are not taken for a leak.
			assertThat(context.getBean(ExecutorMonitors.class).maxThreads("jetty-8080")).hasValue(200);
		});
	}

	@Test
	void theReactiveServersPoolIsReplacedAlike() {
		this.runner.run((context) -> {
			JettyReactiveWebServerFactory factory = new JettyReactiveWebServerFactory(8081);
			factory.setThreadPool(new QueuedThreadPool(200, 8, 60_000, null));
			context.getBean(JettyRequestPoolInstrumentation.class).customize(factory);
			assertThat(factory.getThreadPool().getClass()).isNotEqualTo(QueuedThreadPool.class);
			assertThat(maxThreads(context.getBean(MeterRegistry.class), "jetty-8081")).isEqualTo(200);
		});
	}

	@Test
	void aPoolOfOtherSizesIsKeptAndGauged() {
		this.runner.run((context) -> {
			JettyServletWebServerFactory factory = new JettyServletWebServerFactory(8080);
			QueuedThreadPool own = new QueuedThreadPool(50, 5);
			factory.setThreadPool(own);
			context.getBean(JettyRequestPoolInstrumentation.class).customize(factory);
			assertThat(factory.getThreadPool()).isSameAs(own);
			assertThat(maxThreads(context.getBean(MeterRegistry.class), "jetty-8080")).isEqualTo(50);
		});
	}

	@Test
	void anotherThreadPoolIsLeftAlone() {
		this.runner.run((context) -> {
			JettyServletWebServerFactory factory = new JettyServletWebServerFactory(8080);
			ExecutorThreadPool other = new ExecutorThreadPool(10);
			factory.setThreadPool(other);
			context.getBean(JettyRequestPoolInstrumentation.class).customize(factory);
			assertThat(factory.getThreadPool()).isSameAs(other);
			assertThat(context.getBean(MeterRegistry.class).find("executor.pool.max").tag("name", "jetty-8080").gauge())
				.isNull();
		});
	}

	private static double maxThreads(MeterRegistry registry, String name) {
		return registry.get("executor.pool.max").tag("name", name).gauge().value();
	}

}
