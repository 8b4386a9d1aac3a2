package io.github.threadlens.autoconfigure;

import java.util.Map;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ThreadLens's views reach the SDK the way each kind of application builds it: through the
 * OpenTelemetry Spring Boot starter's customizer beans, or through the application's own
 * meter provider bean.
 */
class OpenTelemetryViewsAutoConfigurationTests {

	private static final AttributeKey<Boolean> OVERFLOW = AttributeKey.booleanKey("otel.metric.overflow");

	private final InMemoryMetricReader reader = InMemoryMetricReader.create();

	private final ApplicationContextRunner runner = MetricsContextRunner.create()
		.withConfiguration(AutoConfigurations.of(ThreadLensOpenTelemetryAutoConfiguration.class))
		.withPropertyValues("threadlens.cardinality.max-pools=1");

	@Test
	void theSpringStartersSdkIsBuiltWithTheViews() {
		this.runner.run((context) -> {
			AutoConfiguredOpenTelemetrySdkBuilder builder = AutoConfiguredOpenTelemetrySdk.builder()
				.addPropertiesSupplier(() -> Map.of("otel.metrics.exporter", "none", "otel.traces.exporter", "none",
						"otel.logs.exporter", "none"))
				.addMeterProviderCustomizer((meterProvider, config) -> meterProvider.registerMetricReader(this.reader))
				.disableShutdownHook();
			context.getBean(AutoConfigurationCustomizerProvider.class).customize(builder);
			try (OpenTelemetrySdk sdk = builder.build().getOpenTelemetrySdk()) {
				assertPoolStatesCappedAtTwoPools(sdk);
			}
		});
	}

	@Test
	void anApplicationsOwnMeterProviderTakesTheViewsBean() {
		this.runner.run((context) -> {
			SdkMeterProvider meterProvider = context.getBean(ThreadLensViews.class)
				.registerOn(SdkMeterProvider.builder().registerMetricReader(this.reader))
				.build();
			try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setMeterProvider(meterProvider).build()) {
				assertPoolStatesCappedAtTwoPools(sdk);
			}
		});
	}

	@Test
	void withoutTheSdkThereAreNoViews() {
		this.runner.withClassLoader(new FilteredClassLoader("io.opentelemetry.sdk."))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ThreadLensViews.class)
				.doesNotHaveBean(AutoConfigurationCustomizerProvider.class));
	}

	@Test
	void withoutTheStartersSpiTheViewsAreStillThere() {
		this.runner.withClassLoader(new FilteredClassLoader(AutoConfigurationCustomizerProvider.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ThreadLensViews.class)
				.doesNotHaveBean(AutoConfigurationCustomizerProvider.class));
	}

	@Test
	void offWhenTheOpenTelemetryPathIsOff() {
		this.runner.withPropertyValues("threadlens.export.otel.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ThreadLensViews.class));
	}

	/**
	 * With {@code max-pools=1}, {@code jvm.thread_pool.thread.count} can have one named pool and
	 * {@code other}, six states each, and as many again from the collection before: five
	 * pools recorded directly on the instrument, past ThreadLens's own cap, leave 24 series
	 * and the SDK's overflow series.
	 */
	private void assertPoolStatesCappedAtTwoPools(OpenTelemetry sdk) {
		sdk.getMeter(ThreadLensViews.INSTRUMENTATION_SCOPE)
			.gaugeBuilder(ThreadLensMeters.THREADS_POOL_STATES.openTelemetryName())
			.buildWithCallback((measurement) -> {
				for (String pool : new String[] { "a", "b", "c", "d", "e" }) {
					for (String state : new String[] { "new", "runnable", "blocked", "waiting", "timed-waiting",
							"terminated" }) {
						measurement.record(1, Attributes.of(AttributeKey.stringKey("pool"),
								pool, AttributeKey.stringKey("state"), state));
					}
				}
			});
		MetricData poolStates = this.reader.collectAllMetrics()
			.stream()
			.filter((metric) -> metric.getName().equals(ThreadLensMeters.THREADS_POOL_STATES.openTelemetryName()))
			.findFirst()
			.orElseThrow();
		assertThat(poolStates.getData().getPoints()).hasSize(25)
			.filteredOn((point) -> point.getAttributes().get(OVERFLOW) != null)
			.hasSize(1);
	}

}
