package io.github.threadlens.export.otel;

import java.util.List;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Publishers of two contexts on one OpenTelemetry meter, as with the Java agent's global
 * instance: a JVM-wide family is reported once, from the context that serves it, and handed
 * to the other when that context closes; a family of the context's own (its executors) is
 * reported by each.
 */
class OtelCatalogPublisherTests {

	private final InMemoryMetricReader reader = InMemoryMetricReader.create();

	private final SdkMeterProvider provider = SdkMeterProvider.builder().registerMetricReader(this.reader).build();

	private final Meter meter = this.provider.get(ThreadLensViews.INSTRUMENTATION_SCOPE);

	@AfterEach
	void close() {
		this.provider.close();
	}

	@Test
	void aJvmWideFamilyIsReportedOnceAndHandedOverWhenItsServerCloses() throws Exception {
		OtelCatalogPublisher first = new OtelCatalogPublisher(this.meter, List.of(failures(true, 1, "sampler")));
		try (OtelCatalogPublisher second = new OtelCatalogPublisher(this.meter, List.of(failures(true, 2, "sampler")))) {
			assertThat(values()).containsExactly(1.0);
			first.close();
			assertThat(values()).containsExactly(2.0);
		}
		assertThat(values()).isEmpty();
	}

	@Test
	void aFamilyOfTheContextsOwnIsReportedByEach() throws Exception {
		try (OtelCatalogPublisher first = new OtelCatalogPublisher(this.meter, List.of(failures(false, 1, "sampler")));
				OtelCatalogPublisher second = new OtelCatalogPublisher(this.meter, List.of(failures(false, 2, "jfr")))) {
			assertThat(values()).containsExactlyInAnyOrder(1.0, 2.0);
		}
	}

	private static ObservedMeters failures(boolean jvmWide, double count, String collector) {
		return new ObservedMeters("collector-failures", jvmWide, List.of(new ObservedMeter(
				ThreadLensMeters.COLLECTOR_FAILURES, () -> Rows.builder().add(count, collector).build())));
	}

	private List<Double> values() {
		return this.reader.collectAllMetrics()
			.stream()
			.filter((metric) -> metric.getName().equals(ThreadLensMeters.COLLECTOR_FAILURES.name()))
			.map(MetricData::getDoubleSumData)
			.flatMap((sum) -> sum.getPoints().stream())
			.map((point) -> point.getValue())
			.toList();
	}

}
