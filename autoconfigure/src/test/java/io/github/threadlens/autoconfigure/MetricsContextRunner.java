package io.github.threadlens.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.jvm.JvmMetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * A context runner with Boot's metrics auto-configuration, its JVM metrics and ThreadLens, as
 * an application with actuator has them.
 */
final class MetricsContextRunner {

	private MetricsContextRunner() {
	}

	static ApplicationContextRunner create() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				JvmMetricsAutoConfiguration.class, ThreadLensCensusAutoConfiguration.class,
				ThreadLensMicrometerAutoConfiguration.class, ThreadLensExecutorAutoConfiguration.class));
	}

}
