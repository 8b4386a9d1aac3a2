package io.github.threadlens.autoconfigure;

import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.export.otel.OtelCatalogPublisher;
import io.github.threadlens.export.otel.OtelTimerSink;
import io.opentelemetry.api.OpenTelemetry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the OpenTelemetry sink: every
 * catalog meter published on a meter of the application's {@link OpenTelemetry} bean.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensCensusAutoConfiguration.class,
		afterName = "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration")
@ConditionalOnClass(OpenTelemetry.class)
@ConditionalOnBean(OpenTelemetry.class)
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "threadlens.export.otel.enabled", matchIfMissing = true)
public final class ThreadLensOpenTelemetryAutoConfiguration {

	/** The instrumentation scope of every ThreadLens instrument. */
	static final String INSTRUMENTATION_SCOPE = "io.github.threadlens";

	@Bean
	@ConditionalOnMissingBean
	OtelTimerSink threadLensOtelTimerSink(OpenTelemetry openTelemetry) {
		return new OtelTimerSink(openTelemetry.getMeter(INSTRUMENTATION_SCOPE));
	}

	@Bean
	@ConditionalOnMissingBean
	OtelCatalogPublisher threadLensOtelCatalogPublisher(OpenTelemetry openTelemetry,
			ObjectProvider<ObservedMeters> families) {
		return new OtelCatalogPublisher(openTelemetry.getMeter(INSTRUMENTATION_SCOPE),
				families.orderedStream().toList());
	}

}
