package io.github.threadlens.export.tracing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.export.otel.OtelTimerSink;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoubleExemplarData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenTelemetry context carried from the submitter, as with the OpenTelemetry Java agent
 * and no Micrometer Tracing: the SDK's own exemplar filter finds the submitter's span.
 */
class OpenTelemetryExemplarContextTests {

	@Test
	void theSdksExemplarsPointAtTheSubmittersSpan() throws Exception {
		InMemoryMetricReader reader = InMemoryMetricReader.create();
		ExecutorService pool = Executors.newSingleThreadExecutor();
		try (SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
				SdkTracerProvider tracing = SdkTracerProvider.builder()
					// Newer SDKs hand out no-op spans when nothing would receive them.
					.addSpanProcessor(SimpleSpanProcessor.create(InMemorySpanExporter.create()))
					.build()) {
			ExecutorService executor = new ExecutorMonitors(new TimerSinks(List.of(new OtelTimerSink(meters.get("t")))),
					new ThreadAttribution(), List.of(Duration.ofSeconds(1)), new OpenTelemetryExemplarContext())
				.monitor(pool, "reports");
			Span span = tracing.get("t").spanBuilder("submitter").startSpan();
			assertThat(span.getSpanContext().isSampled()).isTrue();
			AtomicBoolean spanOnWorker = new AtomicBoolean(true);
			try (Scope scope = span.makeCurrent()) {
				executor.submit(() -> spanOnWorker.set(Span.current().getSpanContext().isValid())).get();
			}
			finally {
				span.end();
			}
			assertThat(spanOnWorker).isFalse();
			List<String> traces = reader.collectAllMetrics()
				.stream()
				.filter((metric) -> metric.getName().startsWith("jvm.executor.task"))
				.map(MetricData::getHistogramData)
				.flatMap((data) -> data.getPoints().stream())
				.flatMap((point) -> point.getExemplars().stream())
				.map(DoubleExemplarData::getSpanContext)
				.map((context) -> context.getTraceId())
				.toList();
			assertThat(traces).containsExactly(span.getSpanContext().getTraceId(), span.getSpanContext().getTraceId());
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void nothingIsCapturedOutsideASpan() {
		assertThat(new OpenTelemetryExemplarContext().capture()).isNull();
	}

}
