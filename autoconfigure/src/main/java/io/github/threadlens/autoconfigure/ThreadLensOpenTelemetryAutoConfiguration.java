package io.github.threadlens.autoconfigure;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.export.otel.OtelCatalogPublisher;
import io.github.threadlens.export.otel.OtelTimerSink;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the OpenTelemetry sink: every
 * catalog meter published through the application's {@link OpenTelemetry} bean or, where
 * there is none, the global one the OpenTelemetry Java agent installs, in ThreadLens's
 * instrumentation scope. Whether that carries anything is known only once the
 * {@link OpenTelemetry} exists ({@link OpenTelemetryPath}); {@link ExportNotice} says it.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = { ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class },
		afterName = { "org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration",
				"io.opentelemetry.instrumentation.spring.autoconfigure.OpenTelemetryAutoConfiguration" })
@ConditionalOnClass(OpenTelemetry.class)
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "threadlens.export.otel.enabled", matchIfMissing = true)
public final class ThreadLensOpenTelemetryAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@Conditional(OpenTelemetryAvailableCondition.class)
	static class OpenTelemetrySinkConfiguration {

		@Bean
		OpenTelemetryPath threadLensOpenTelemetryPath(ObjectProvider<OpenTelemetry> openTelemetry) {
			OpenTelemetry bean = openTelemetry.getIfAvailable();
			return (bean != null) ? OpenTelemetryPath.of(bean, "the OpenTelemetry bean")
					: OpenTelemetryPath.ofJavaAgent(GlobalOpenTelemetry.get(), JavaAgentSettings.ofThisJvm());
		}

		@Bean
		@ConditionalOnMissingBean
		OtelTimerSink threadLensOtelTimerSink(OpenTelemetryPath path) {
			return new OtelTimerSink(path.meter());
		}

		@Bean
		@ConditionalOnMissingBean
		OtelCatalogPublisher threadLensOtelCatalogPublisher(OpenTelemetryPath path,
				ObjectProvider<ObservedMeters> families) {
			return new OtelCatalogPublisher(path.meter(), families.orderedStream().toList(),
					path.publishedElsewhere());
		}

	}

	/**
	 * Views are contributed while the application's meter provider is built, so they do
	 * not wait for an {@link OpenTelemetry} bean: that bean is what they help to make.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SdkMeterProviderBuilder.class)
	@EnableConfigurationProperties({ CardinalityProperties.class, SamplingProperties.class })
	static class ViewsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ThreadLensViews threadLensViews(CardinalityProperties cardinality, SamplingProperties sampling) {
			return new ThreadLensViews(new SeriesLimits(cardinality.maxPools(), cardinality.maxClasses(),
					sampling.depthBuckets().size() + 1));
		}

		/** The OpenTelemetry Spring Boot starter applies these beans as it builds the SDK. */
		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(AutoConfigurationCustomizerProvider.class)
		static class SpringStarterViewsConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "threadLensViewsCustomizer")
			AutoConfigurationCustomizerProvider threadLensViewsCustomizer(ThreadLensViews views) {
				return (customizer) -> customizer
					.addMeterProviderCustomizer((builder, config) -> views.registerOn(builder));
			}

		}

	}

	static final class OpenTelemetryAvailableCondition extends AnyNestedCondition {

		OpenTelemetryAvailableCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBean(OpenTelemetry.class)
		static class OpenTelemetryBean {

		}

		@Conditional(GlobalOpenTelemetrySetCondition.class)
		static class GlobalOpenTelemetrySet {

		}

	}

	/**
	 * Whether the global {@link OpenTelemetry} is set, asked through
	 * {@code GlobalOpenTelemetry.isSet()}, found at run time: the API that Spring Boot 4.0
	 * manages (1.55) predates it, and {@code GlobalOpenTelemetry.get()} cannot stand in, since
	 * it sets a no-op global when there is none, which the application could then not replace.
	 */
	static final class GlobalOpenTelemetrySetCondition extends SpringBootCondition {

		static final String IS_SET = "isSet";

		private static final MethodHandle isSet = findIsSet();

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			if (isSet == null) {
				return ConditionOutcome.noMatch("GlobalOpenTelemetry.isSet() is missing from this OpenTelemetry API, "
						+ "so a global OpenTelemetry cannot be found without setting one");
			}
			return globalIsSet() ? ConditionOutcome.match("GlobalOpenTelemetry is set")
					: ConditionOutcome.noMatch("GlobalOpenTelemetry is not set");
		}

		/** Whether this OpenTelemetry API can tell, so whether the Java agent's global is used at all. */
		static boolean detectable() {
			return isSet != null;
		}

		private static boolean globalIsSet() {
			try {
				return (boolean) isSet.invokeExact();
			}
			catch (Throwable ex) {
				throw new IllegalStateException("GlobalOpenTelemetry.isSet() failed", ex);
			}
		}

		private static MethodHandle findIsSet() {
			try {
				return MethodHandles.publicLookup()
					.findStatic(GlobalOpenTelemetry.class, IS_SET, MethodType.methodType(boolean.class));
			}
			catch (NoSuchMethodException | IllegalAccessException ex) {
				return null;
			}
		}

	}

}
