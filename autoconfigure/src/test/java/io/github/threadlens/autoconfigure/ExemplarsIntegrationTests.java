package io.github.threadlens.autoconfigure;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.catalog.ExemplarContext;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.tracing.MicrometerTracingExemplarContext;
import io.github.threadlens.export.tracing.OpenTelemetryExemplarContext;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.prometheus.PrometheusExemplarsAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exemplars on the executor timers, with Spring Boot's own tracing and Prometheus exemplar
 * wiring over Micrometer Tracing's OpenTelemetry bridge: a task submitted inside a span runs
 * on a worker that has no span, and both paths' queue-wait and run-time buckets still point
 * at the submitter's trace.
 */
class ExemplarsIntegrationTests {

	private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

	private final InMemoryMetricReader reader = InMemoryMetricReader.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OpenTelemetrySdkAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				PrometheusMetricsExportAutoConfiguration.class, PrometheusExemplarsAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
				ThreadLensOpenTelemetryAutoConfiguration.class, ThreadLensExemplarsAutoConfiguration.class,
				ThreadLensExecutorAutoConfiguration.class))
		.withPropertyValues("management.tracing.sampling.probability=1.0")
		.withBean(SdkMeterProvider.class, () -> SdkMeterProvider.builder().registerMetricReader(this.reader).build());

	@Test
	void queueWaitAndRunTimePointAtTheSubmittersTraceOnBothPaths() {
		this.runner.run((context) -> {
			assertThat(context.getBean(ExemplarContext.class)).isInstanceOf(MicrometerTracingExemplarContext.class);
			ExecutorService pool = Executors.newSingleThreadExecutor();
			try {
				ExecutorService executor = context.getBean(ThreadLens.class).monitor(pool, "reports");
				Tracer tracer = context.getBean(Tracer.class);
				AtomicReference<Span> spanOnWorker = new AtomicReference<>();
				String traceId = submitInSpan(tracer, executor, () -> spanOnWorker.set(tracer.currentSpan()));
				assertThat(spanOnWorker.get()).as("the worker runs the task without the submitter's span").isNull();

				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape(OPEN_METRICS);
				assertThat(scrape).containsPattern(bucketWithExemplar("executor_idle_seconds_bucket", traceId))
					.containsPattern(bucketWithExemplar("executor_seconds_bucket", traceId));
				// Exemplars belong to one collection: read both histograms from the same one.
				Collection<MetricData> collected = this.reader.collectAllMetrics();
				assertThat(exemplars(collected, ThreadLensMeters.EXECUTOR_IDLE.openTelemetryName())).anySatisfy(
						(exemplar) -> assertThat(exemplar.getSpanContext().getTraceId()).isEqualTo(traceId));
				assertThat(exemplars(collected, ThreadLensMeters.EXECUTOR.openTelemetryName())).anySatisfy(
						(exemplar) -> assertThat(exemplar.getSpanContext().getTraceId()).isEqualTo(traceId));

				// The submitter's span was current only while recording: the worker's next task has none.
				executor.submit(() -> spanOnWorker.set(tracer.currentSpan())).get();
				assertThat(spanOnWorker.get()).isNull();
			}
			finally {
				pool.shutdownNow();
			}
		});
	}

	@Test
	void withoutMicrometerTracingTheOpenTelemetryContextIsCarried() {
		this.runner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing"))
			.run((context) -> assertThat(context.getBean(ExemplarContext.class))
				.isInstanceOf(OpenTelemetryExemplarContext.class));
	}

	@Test
	void withNoTracingAndNoOpenTelemetryNothingIsCaptured() {
		MetricsContextRunner.create()
			.withConfiguration(AutoConfigurations.of(ThreadLensExemplarsAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ExemplarContext.class));
	}

	private static String submitInSpan(Tracer tracer, ExecutorService executor, Runnable task) throws Exception {
		Span span = tracer.nextSpan().name("submitter").start();
		Future<?> done;
		try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
			done = executor.submit(task);
		}
		finally {
			span.end();
		}
		done.get();
		return span.context().traceId();
	}

	/** A bucket line of the executor's histogram with an OpenMetrics exemplar of the trace. */
	private static Pattern bucketWithExemplar(String bucket, String traceId) {
		return Pattern.compile(
				"(?m)^" + bucket + "\\{[^}]*name=\"reports\"[^}]*} \\S+ # \\{[^}]*trace_id=\"" + traceId + "\"");
	}

	private static List<DoubleExemplarData> exemplars(Collection<MetricData> collected, String name) {
		MetricData metric = collected.stream()
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		HistogramPointData point = metric.getHistogramData()
			.getPoints()
			.stream()
			.filter((candidate) -> "reports".equals(candidate.getAttributes()
				.get(AttributeKey.stringKey(ThreadLensMeters.openTelemetryAttribute(ThreadLensMeters.NAME)))))
			.findFirst()
			.orElseThrow();
		return point.getExemplars();
	}

}
