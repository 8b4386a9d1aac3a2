package io.github.threadlens.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.github.threadlens.testsupport.OtlpReceiver;
import io.github.threadlens.testsupport.OtlpReceiver.Point;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.AsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Applications with Spring Boot's OpenTelemetry starter exporting over OTLP/HTTP to a real
 * receiver, which decodes what arrives: each ThreadLens series arrives as many times as the
 * start-up line says paths carry it.
 * <p>
 * Each exporter is flushed once (the OTLP registry by closing it, the SDK by
 * {@code forceFlush}), neither exports on its own schedule meanwhile, and the receiver is
 * read before the context closes, so what it holds is one export per path.
 */
@ExtendWith(OutputCaptureExtension.class)
class OtlpExportEndToEndTests {

	private static final String POOL_STATES = ThreadLensMeters.THREADS_POOL_STATES.name();

	private static final String EXECUTOR = ThreadLensMeters.EXECUTOR.name();

	private static final String OTEL_POOL_STATES = ThreadLensMeters.THREADS_POOL_STATES.openTelemetryName();

	private static final String OTEL_EXECUTOR = ThreadLensMeters.EXECUTOR.openTelemetryName();

	private final OtlpReceiver receiver = new OtlpReceiver();

	@AfterEach
	void closeReceiver() {
		this.receiver.close();
	}

	/** Set-up (a): Boot's starter, no meter provider; Micrometer's OTLP registry ships the series. */
	@Test
	void bootsStarterAloneCarriesEachSeriesOnceThroughMicrometer(CapturedOutput output) {
		List<Point> points = export(StarterApplication.class);
		assertOnceEach(points, POOL_STATES);
		assertOnceEach(points, EXECUTOR);
		assertThat(points).noneMatch((point) -> point.scope().equals(ThreadLensViews.INSTRUMENTATION_SCOPE));
		assertThat(output).doesNotContain("arrive twice")
			.containsOnlyOnce("ThreadLens series go out through Micrometer (OTLP registry); the OpenTelemetry path "
					+ "is off: the OpenTelemetry bean has no meter provider that exports");
	}

	/** What the double-export advice used to lead to in set-up (a): nothing, now said at WARN. */
	@Test
	void bootsStarterWithoutTheMicrometerPathCarriesNothingAndSaysSo(CapturedOutput output) {
		List<Point> points = export(StarterApplication.class, "threadlens.export.micrometer.enabled=false");
		assertThat(series(points, POOL_STATES)).isEmpty();
		assertThat(series(points, EXECUTOR)).isEmpty();
		assertThat(series(points, OTEL_POOL_STATES)).isEmpty();
		assertThat(output).containsOnlyOnce("ThreadLens series go out through no path")
			.containsPattern("WARN[^\n]*ExportNotice[^\n]*ThreadLens series go out through no path");
	}

	/**
	 * Set-up (b) as it comes: both paths export over OTLP, each series twice (once per path,
	 * under each path's names), and the WARN says so.
	 */
	@Test
	void ownMeterProviderBesideTheOtlpRegistryCarriesEachSeriesTwiceAndWarns(CapturedOutput output) {
		List<Point> points = export(MeterProviderApplication.class);
		assertOnceEach(points, POOL_STATES);
		assertOnceEach(points, OTEL_POOL_STATES);
		assertThat(series(points, POOL_STATES).keySet().stream().map(OtlpExportEndToEndTests::openTelemetry).toList())
			.as("the same series on both paths")
			.containsExactlyInAnyOrderElementsOf(series(points, OTEL_POOL_STATES).keySet());
		assertThat(output).containsOnlyOnce("ThreadLens series go out through Micrometer (OTLP registry) and "
				+ "through OpenTelemetry: the same series arrive twice");
	}

	/** Set-up (b) with the WARN's advice taken: once, in ThreadLens's scope with its version. */
	@Test
	void ownMeterProviderAloneCarriesEachSeriesOnceInThreadLensScope(CapturedOutput output) {
		List<Point> points = export(MeterProviderApplication.class, "threadlens.export.micrometer.enabled=false");
		assertOnceEach(points, OTEL_POOL_STATES);
		assertOnceEach(points, OTEL_EXECUTOR);
		assertThat(series(points, POOL_STATES)).isEmpty();
		assertThat(points).filteredOn((point) -> point.metric().equals(OTEL_POOL_STATES))
			.extracting(Point::scope, Point::scopeVersion)
			.containsOnly(tuple(ThreadLensViews.INSTRUMENTATION_SCOPE,
					System.getProperty("threadlens.project.version")));
		assertThat(output).containsOnlyOnce("ThreadLens series go out through OpenTelemetry; the Micrometer path "
				+ "is off: threadlens.export.micrometer.enabled=false.");
	}

	private List<Point> export(Class<?> application, String... properties) {
		// Arguments, since the module's test application.properties turns OTLP export off.
		List<String> arguments = new ArrayList<>(List.of("--management.otlp.metrics.export.enabled=true",
				"--management.otlp.metrics.export.url=" + this.receiver.metricsUrl(),
				"--otlp.receiver.url=" + this.receiver.metricsUrl()));
		Arrays.stream(properties).map((property) -> "--" + property).forEach(arguments::add);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.run(arguments.toArray(String[]::new))) {
			runOneTask(context);
			context.getBean(OtlpMeterRegistry.class).close();
			context.getBeanProvider(SdkMeterProvider.class)
				.ifAvailable((provider) -> provider.forceFlush().join(10, TimeUnit.SECONDS));
			// Read before the context closes: the SDK's shutdown exports once more.
			return this.receiver.requests()
				.stream()
				.flatMap((request) -> OtlpReceiver.points(request).stream())
				.toList();
		}
	}

	private static void runOneTask(ConfigurableApplicationContext context) {
		AsyncTaskExecutor executor = context.getBean("applicationTaskExecutor", AsyncTaskExecutor.class);
		assertThat(executor.submit(() -> "ran")).succeedsWithin(10, TimeUnit.SECONDS);
	}

	private static void assertOnceEach(List<Point> points, String metric) {
		assertThat(series(points, metric)).as("%s in %s", metric,
				points.stream().filter((point) -> point.metric().equals(metric)).toList())
			.isNotEmpty()
			.allSatisfy((series, count) -> assertThat(count).as("%s", series).isEqualTo(1));
	}

	/** A Micrometer series's tags as the OpenTelemetry path writes them. */
	private static Map<String, String> openTelemetry(Map<String, String> tags) {
		Map<String, String> attributes = new HashMap<>();
		tags.forEach((key, value) -> attributes.put(ThreadLensMeters.openTelemetryAttribute(key),
				ThreadLensMeters.openTelemetryValue(key, value)));
		return attributes;
	}

	/** How many times each series of a metric arrived, by its attributes. */
	private static Map<Map<String, String>, Long> series(List<Point> points, String metric) {
		return points.stream()
			.filter((point) -> point.metric().equals(metric))
			.collect(Collectors.groupingBy(Point::attributes, Collectors.counting()));
	}

	/** Spring Boot's OpenTelemetry starter as it comes: no meter provider of its own. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class StarterApplication {

	}

	/** The starter with the application's own meter provider, exporting over OTLP/HTTP. */
	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class MeterProviderApplication {

		@Bean
		SdkMeterProvider meterProvider(ThreadLensViews views, @Value("${otlp.receiver.url}") String url) {
			// Exports only when flushed: a long interval keeps the schedule out of the test.
			PeriodicMetricReader reader = PeriodicMetricReader
				.builder(OtlpHttpMetricExporter.builder().setEndpoint(url).build())
				.setInterval(Duration.ofHours(1))
				.build();
			return views.registerOn(SdkMeterProvider.builder().registerMetricReader(reader)).build();
		}

	}

}
