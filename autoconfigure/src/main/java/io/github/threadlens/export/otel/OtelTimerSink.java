package io.github.threadlens.export.otel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.TimerSink;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.Meter;

/**
 * Catalog timers as OpenTelemetry histograms in seconds, named and attributed as the catalog
 * names them on this path, with the configured boundaries as
 * explicit bucket advice, the same boundaries the Micrometer path publishes.
 * <p>
 * It keeps {@link TimerSink}'s {@code remove}, which keeps the series: the SDK offers no way
 * to take an attribute set out of a synchronous instrument. With cumulative temporality it
 * exports every series recorded until the meter provider closes, up to the view's
 * cardinality limit, past which it records into its {@code otel.metric.overflow} series; with
 * delta temporality it drops a series that had no recording since the last collection, as a
 * removed one has none.
 */
public final class OtelTimerSink implements TimerSink {

	private static final double NANOS_PER_SECOND = 1e9;

	private final Meter meter;

	private final Map<String, DoubleHistogram> histograms = new ConcurrentHashMap<>();

	public OtelTimerSink(Meter meter) {
		this.meter = meter;
	}

	@Override
	public DurationRecorder timer(MeterDefinition definition, List<String> tagValues, List<Duration> buckets) {
		String name = Objects.requireNonNull(definition.openTelemetryName(), definition.name());
		DoubleHistogram histogram = this.histograms.computeIfAbsent(name,
				(key) -> this.meter.histogramBuilder(key)
					.setDescription(definition.description())
					.setUnit(definition.openTelemetryUnit())
					.setExplicitBucketBoundariesAdvice(
							buckets.stream().map((bucket) -> bucket.toNanos() / NANOS_PER_SECOND).toList())
					.build());
		Attributes series = new OtelCatalogPublisher.Attributor(definition).attributes(tagValues);
		return (nanos) -> histogram.record(nanos / NANOS_PER_SECOND, series);
	}

}
