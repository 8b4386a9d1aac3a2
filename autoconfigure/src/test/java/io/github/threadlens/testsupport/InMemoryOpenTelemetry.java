package io.github.threadlens.testsupport;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;

/**
 * A real OpenTelemetry SDK whose metrics are read in memory by the SDK's own test reader.
 */
public final class InMemoryOpenTelemetry implements AutoCloseable {

	private final InMemoryMetricReader reader = InMemoryMetricReader.create();

	private final OpenTelemetrySdk sdk;

	public InMemoryOpenTelemetry() {
		this(SdkMeterProvider.builder());
	}

	/**
	 * An SDK whose meter provider has ThreadLens's views, as an application that builds its
	 * own registers them.
	 * @param views the views
	 */
	public InMemoryOpenTelemetry(ThreadLensViews views) {
		this(views.registerOn(SdkMeterProvider.builder()));
	}

	private InMemoryOpenTelemetry(SdkMeterProviderBuilder meterProvider) {
		this.sdk = OpenTelemetrySdk.builder()
			.setMeterProvider(meterProvider.registerMetricReader(this.reader).build())
			.build();
	}

	/**
	 * The SDK.
	 * @return the OpenTelemetry instance
	 */
	public OpenTelemetrySdk sdk() {
		return this.sdk;
	}

	/**
	 * The SDK behind an {@link OpenTelemetry} that is not {@link AutoCloseable}: a context
	 * that registers it as a bean cannot shut the SDK down on close, so a test can still
	 * collect afterwards and see what the context left behind.
	 * @return a view of the SDK for application contexts
	 */
	public OpenTelemetry forContext() {
		SdkMeterProvider meterProvider = this.sdk.getSdkMeterProvider();
		return new OpenTelemetry() {

			@Override
			public TracerProvider getTracerProvider() {
				return TracerProvider.noop();
			}

			@Override
			public MeterProvider getMeterProvider() {
				return meterProvider;
			}

			@Override
			public ContextPropagators getPropagators() {
				return ContextPropagators.noop();
			}

		};
	}

	/**
	 * Collect now and return the points of one metric, keyed by their attributes written as
	 * {@code {key=value, ...}} in attribute-key order.
	 * @param name the metric name
	 * @return the values; empty when the metric was not collected
	 */
	public Map<String, Double> collect(String name) {
		Map<String, Double> values = new TreeMap<>();
		points(name).forEach((attributes, value) -> values.put(attributes.toString(), value));
		return values;
	}

	/**
	 * Collect now and return the points of one catalog entry on the OpenTelemetry path.
	 * @param definition the entry
	 * @return the values, keyed as {@link #collect(String)} keys them
	 */
	public Map<String, Double> collect(MeterDefinition definition) {
		return collect(Objects.requireNonNull(definition.openTelemetryName(), definition.name()));
	}

	/**
	 * Collect now and return the points of one metric, keyed by their attributes.
	 * @param name the metric name
	 * @return the values; empty when the metric was not collected
	 */
	public Map<Map<String, String>, Double> points(String name) {
		Map<Map<String, String>, Double> values = new LinkedHashMap<>();
		for (MetricData metric : this.reader.collectAllMetrics()) {
			if (metric.getName().equals(name)) {
				for (PointData point : metric.getData().getPoints()) {
					values.put(attributes(point), ((DoublePointData) point).getValue());
				}
			}
		}
		return values;
	}

	/**
	 * Collect now and return one executor's histogram point of a catalog timer.
	 * @param definition the timer
	 * @param executor the executor, the point's executor-name attribute
	 * @return the point
	 */
	public HistogramPointData collectHistogram(MeterDefinition definition, String executor) {
		String name = definition.openTelemetryName();
		AttributeKey<String> executorName = AttributeKey
			.stringKey(ThreadLensMeters.openTelemetryAttribute(ThreadLensMeters.NAME));
		for (MetricData metric : this.reader.collectAllMetrics()) {
			if (metric.getName().equals(name)) {
				return metric.getHistogramData()
					.getPoints()
					.stream()
					.filter((point) -> executor.equals(point.getAttributes().get(executorName)))
					.findFirst()
					.orElseThrow(() -> new AssertionError("No histogram " + name + "{" + executorName + "=" + executor + "}"));
			}
		}
		throw new AssertionError("No histogram " + name);
	}

	/**
	 * Collect now and return every metric.
	 * @return the metrics
	 */
	public Collection<MetricData> collectAll() {
		return this.reader.collectAllMetrics();
	}

	private static Map<String, String> attributes(PointData point) {
		Map<String, String> sorted = new TreeMap<>();
		point.getAttributes().forEach((key, value) -> sorted.put(key.getKey(), String.valueOf(value)));
		return sorted;
	}

	@Override
	public void close() {
		this.sdk.close();
	}

}
