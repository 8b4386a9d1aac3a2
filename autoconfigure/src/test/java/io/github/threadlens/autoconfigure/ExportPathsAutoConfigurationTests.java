package io.github.threadlens.autoconfigure;

import java.util.Arrays;
import java.util.List;

import io.github.threadlens.actuate.PrometheusRulesEndpoint;
import io.github.threadlens.blocking.CollectorFailures;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.export.otel.OtelCatalogPublisher;
import io.github.threadlens.export.otel.OtelTimerSink;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.testsupport.InMemoryOpenTelemetry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.data.MetricData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two export paths, each switched on and off: a path that is switched off registers
 * nothing on its side, and the start-up line names the paths that carry the series, an
 * OpenTelemetry without a meter provider that exports being none; the served rules are
 * named after the path that exports.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExportPathsAutoConfigurationTests {

	/** An OTLP registry that never pushes: only its presence matters here. */
	private static final OtlpConfig DISABLED_OTLP = (key) -> key.equals("otlp.enabled") ? "false" : null;

	private final InMemoryOpenTelemetry otel = new InMemoryOpenTelemetry();

	private final ApplicationContextRunner runner = exportPaths().withBean(OpenTelemetry.class, this.otel::forContext);

	@AfterEach
	void closeSdk() {
		this.otel.close();
	}

	@Test
	void bothPathsPublishByDefault() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(OtelCatalogPublisher.class).hasSingleBean(ObservedMeterBinder.class);
			assertThat(threadLensInstruments()).isNotEmpty();
			assertThat(this.otel.collect(ThreadLensMeters.THREADS_POOL_STATES)).isNotEmpty();
			assertThat(context.getBean(MeterRegistry.class).find("jvm.threads.pool.states").gauges()).isNotEmpty();
		});
	}

	@Test
	void onlyOpenTelemetryLeavesTheMeterRegistryToBoot() {
		this.runner.withPropertyValues("threadlens.export.micrometer.enabled=false").run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("jvm.threads.pool.states").meters()).isEmpty();
			assertThat(registry.find("threadlens.cardinality.overflow").meters()).isEmpty();
			assertThat(context.getBean(JvmThreadMetrics.class)).isNotInstanceOf(CensusJvmThreadMetrics.class);
			assertThat(this.otel.collect(ThreadLensMeters.THREADS_POOL_STATES)).isNotEmpty();
		});
	}

	@Test
	void onlyMicrometerRegistersNoInstrument() {
		this.runner.withPropertyValues("threadlens.export.otel.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(OtelCatalogPublisher.class);
			assertThat(threadLensInstruments()).isEmpty();
			assertThat(context.getBean(MeterRegistry.class).find("jvm.threads.pool.states").gauges()).isNotEmpty();
		});
	}

	@Test
	void withoutAnyOpenTelemetryTheSinkStaysOffAndSaysSo(CapturedOutput output) {
		exportPaths().run((context) -> {
				assertThat(context).doesNotHaveBean(OtelCatalogPublisher.class).doesNotHaveBean(OtelTimerSink.class);
				assertThat(output).containsOnlyOnce("ThreadLens series go out through Micrometer; "
						+ "the OpenTelemetry path is off: there is no OpenTelemetry bean and no global OpenTelemetry");
			});
	}

	@Test
	void theGlobalOpenTelemetryOfTheJavaAgentIsUsedWhenThereIsNoBean(CapturedOutput output) {
		GlobalOpenTelemetry.set(this.otel.forContext());
		try {
			exportPaths().run((context) -> {
				if (hasIsSet()) {
					assertThat(context).hasSingleBean(OtelCatalogPublisher.class);
					assertThat(this.otel.collect(ThreadLensMeters.THREADS_POOL_STATES)).isNotEmpty();
					assertThat(output).containsOnlyOnce("go out through Micrometer and through OpenTelemetry.");
				}
				else {
					// An API without isSet() (Boot 4.0's): the global is left alone, and the notice says so.
					assertThat(context).doesNotHaveBean(OtelCatalogPublisher.class);
					assertThat(this.otel.collect(ThreadLensMeters.THREADS_POOL_STATES)).isEmpty();
					assertThat(output).containsOnlyOnce("the OpenTelemetry path is off: there is no OpenTelemetry bean");
				}
			});
		}
		finally {
			GlobalOpenTelemetry.resetForTest();
		}
	}

	@Test
	void aGlobalOpenTelemetryWithoutAMeterProviderIsNoPath(CapturedOutput output) {
		if (!hasIsSet()) {
			return;
		}
		GlobalOpenTelemetry.set(OpenTelemetry.noop());
		try {
			exportPaths().run((context) -> assertThat(output).containsOnlyOnce("ThreadLens series go out through "
					+ "Micrometer; the OpenTelemetry path is off: the Java agent's global OpenTelemetry has no meter "
					+ "provider that exports"));
		}
		finally {
			GlobalOpenTelemetry.resetForTest();
		}
	}

	@Test
	void contextsSharingTheAgentsOpenTelemetryReportJvmWideMetersOnceFromAContextStillOpen() {
		// Where the agent's global cannot be found, the test above proves that it is not used.
		if (!hasIsSet()) {
			return;
		}
		GlobalOpenTelemetry.set(this.otel.forContext());
		try {
			ApplicationContextRunner agent = MetricsContextRunner.create()
				.withConfiguration(AutoConfigurations.of(ThreadLensOpenTelemetryAutoConfiguration.class,
						ThreadLensBlockingAutoConfiguration.class));
			agent.run((outer) -> agent.run((inner) -> {
				inner.getBean(CollectorFailures.class)
					.failed("deadlocks", "A failure the test counts", new IllegalStateException("counted"));
				assertThat(this.otel.collect(ThreadLensMeters.COLLECTOR_FAILURES))
					.as("reported once, by the outer context, not summed over both")
					.containsEntry("{threadlens.collector=deadlocks}", 0.0);
				outer.close();
				assertThat(this.otel.collect(ThreadLensMeters.COLLECTOR_FAILURES))
					.as("handed to the inner context, nothing read from the closed one")
					.containsEntry("{threadlens.collector=deadlocks}", 1.0);
			}));
			assertThat(this.otel.collect(ThreadLensMeters.COLLECTOR_FAILURES)).as("gone with the last context").isEmpty();
		}
		finally {
			GlobalOpenTelemetry.resetForTest();
		}
	}

	@Test
	void warnsOnceWhenMicrometerAlreadyShipsToOtlp(CapturedOutput output) {
		this.runner.withBean(OtlpMeterRegistry.class, () -> new OtlpMeterRegistry(DISABLED_OTLP, Clock.SYSTEM))
			.run((context) -> assertThat(output)
				.containsOnlyOnce("WARN")
				.containsOnlyOnce("ThreadLens series go out through Micrometer (OTLP registry) and through "
						+ "OpenTelemetry: the same series arrive twice")
				.contains("threadlens.export.otel.enabled=false"));
	}

	@Test
	void warnsOnceWhenOpenTelemetrysMicrometerBridgeCarriesTheMicrometerPath(CapturedOutput output) {
		this.runner.withBean(OpenTelemetryMeterRegistry.class)
			.run((context) -> assertThat(output).containsOnlyOnce("WARN")
				.containsOnlyOnce("ThreadLens series go out through Micrometer (OpenTelemetry's Micrometer bridge) and "
						+ "through OpenTelemetry: the same series arrive twice at the exporter")
				.contains("threadlens.export.otel.enabled=false"));
	}

	@Test
	void noDoubleExportWarningWhenOnePathIsOff(CapturedOutput output) {
		this.runner.withBean(OtlpMeterRegistry.class, () -> new OtlpMeterRegistry(DISABLED_OTLP, Clock.SYSTEM))
			.withPropertyValues("threadlens.export.micrometer.enabled=false")
			.run((context) -> assertThat(output).doesNotContain("arrive twice")
				.containsOnlyOnce("ThreadLens series go out through OpenTelemetry; the Micrometer path is off: "
						+ "threadlens.export.micrometer.enabled=false."));
	}

	@Test
	void anOpenTelemetryWithoutAMeterProviderIsNoPathAndTheWarningKeepsTheOneThatWorks(CapturedOutput output) {
		// What Spring Boot's SDK is without an SdkMeterProvider bean: a meter provider with no reader.
		OpenTelemetrySdk withoutMeterProvider = OpenTelemetrySdk.builder().build();
		exportPaths().withBean(OpenTelemetry.class, () -> withoutMeterProvider)
			.withBean(OtlpMeterRegistry.class, () -> new OtlpMeterRegistry(DISABLED_OTLP, Clock.SYSTEM))
			.run((context) -> {
				assertThat(context.getBean(OpenTelemetryPath.class).offReason()).isNotNull();
				assertThat(output).doesNotContain("WARN")
					.doesNotContain("threadlens.export.micrometer.enabled=false")
					.containsOnlyOnce("ThreadLens series go out through Micrometer (OTLP registry); the OpenTelemetry "
							+ "path is off: the OpenTelemetry bean has no meter provider that exports");
			});
	}

	@Test
	void theNoopOpenTelemetryIsNoPathEither(CapturedOutput output) {
		exportPaths().withBean(OpenTelemetry.class, OpenTelemetry::noop)
			.run((context) -> assertThat(output).containsOnlyOnce(
					"the OpenTelemetry path is off: the OpenTelemetry bean has no meter provider that exports"));
	}

	@Test
	void withBothPathsOffTheLineWarnsThatNothingGoesOut(CapturedOutput output) {
		exportPaths().withBean(OpenTelemetry.class, OpenTelemetry::noop)
			.withPropertyValues("threadlens.export.micrometer.enabled=false")
			.run((context) -> assertThat(output).containsOnlyOnce("WARN")
				.containsOnlyOnce("ThreadLens series go out through no path: the Micrometer path is off: "
						+ "threadlens.export.micrometer.enabled=false; the OpenTelemetry path is off: the "
						+ "OpenTelemetry bean has no meter provider that exports"));
	}

	@Test
	void bothPathsWithoutOtlpAreOneInfoLine(CapturedOutput output) {
		this.runner.run((context) -> assertThat(output).doesNotContain("WARN")
			.containsOnlyOnce("ThreadLens series go out through Micrometer and through OpenTelemetry."));
	}

	@Test
	void theRulesAreNamedAfterThePathThatExports() {
		ApplicationContextRunner rules = this.runner
			.withConfiguration(AutoConfigurations.of(ThreadLensRulesAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=prometheusrules");
		String micrometerDeadlocks = PrometheusNaming.MICROMETER.name(ThreadLensMeters.THREADS_DEADLOCKED);
		String otelDeadlocks = PrometheusNaming.OPENTELEMETRY.name(ThreadLensMeters.THREADS_DEADLOCKED);
		rules.run((context) -> assertThat(servedRules(context)).contains(micrometerDeadlocks));
		rules.withPropertyValues("threadlens.export.micrometer.enabled=false")
			.run((context) -> assertThat(servedRules(context)).contains(otelDeadlocks));
		rules.withPropertyValues("threadlens.alerts.naming=opentelemetry")
			.run((context) -> assertThat(servedRules(context)).contains(otelDeadlocks));
		rules.withPropertyValues("threadlens.export.micrometer.enabled=false", "threadlens.alerts.naming=micrometer")
			.run((context) -> assertThat(servedRules(context)).contains(micrometerDeadlocks));
		rules.withPropertyValues("threadlens.export.micrometer.enabled=false", "threadlens.export.otel.enabled=false")
			.run((context) -> assertThat(servedRules(context)).contains(micrometerDeadlocks));
	}

	private static String servedRules(AssertableApplicationContext context) {
		return context.getBean(PrometheusRulesEndpoint.class).rules(null, null, null);
	}

	@Test
	void instrumentsCarryTheScopeVersionOfTheProject() {
		String projectVersion = System.getProperty("threadlens.project.version");
		assertThat(projectVersion).as("set by the build").isNotBlank();
		this.runner.run((context) -> assertThat(threadLensInstruments()).isNotEmpty()
			.allSatisfy((metric) -> assertThat(metric.getInstrumentationScopeInfo().getVersion())
				.isEqualTo(projectVersion)));
	}

	@Test
	void withoutTheOpenTelemetryApiTheSinkStaysOff() {
		this.runner.withClassLoader(new FilteredClassLoader(OpenTelemetry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(OtelCatalogPublisher.class));
	}

	@Test
	void closingTheContextRemovesEveryCallback() {
		this.runner.run((context) -> assertThat(threadLensInstruments()).isNotEmpty());
		assertThat(threadLensInstruments()).isEmpty();
	}

	private static ApplicationContextRunner exportPaths() {
		return MetricsContextRunner.create()
			.withConfiguration(AutoConfigurations.of(ThreadLensOpenTelemetryAutoConfiguration.class,
					ThreadLensExportAutoConfiguration.class));
	}

	private List<MetricData> threadLensInstruments() {
		return this.otel.collectAll()
			.stream()
			.filter((metric) -> metric.getInstrumentationScopeInfo()
				.getName()
				.equals(ThreadLensViews.INSTRUMENTATION_SCOPE))
			.toList();
	}

	/** Read from the API itself, not from the condition under test. */
	private static boolean hasIsSet() {
		boolean present = Arrays.stream(GlobalOpenTelemetry.class.getMethods())
			.anyMatch((method) -> method.getName().equals("isSet"));
		assertThat(ThreadLensOpenTelemetryAutoConfiguration.GlobalOpenTelemetrySetCondition.detectable())
			.as("the condition finds isSet()")
			.isEqualTo(present);
		return present;
	}

	/** Named as OpenTelemetry's Micrometer bridge is: the Java agent shades its package. */
	static class OpenTelemetryMeterRegistry extends SimpleMeterRegistry {

	}

}
