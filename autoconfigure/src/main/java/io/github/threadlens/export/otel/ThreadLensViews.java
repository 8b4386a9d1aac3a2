package io.github.threadlens.export.otel;

import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.View;

/**
 * OpenTelemetry SDK views that give each ThreadLens instrument a cardinality limit derived
 * from ThreadLens's own caps ({@link SeriesLimits}), instead of the SDK's default of 2000
 * per instrument: with the defaults, the JFR timers' pool and class tags can legitimately
 * make 4,257 series (the published pools, those in their grace period and {@code other}, times
 * the classes), which the default would fold, and a capped gauge such as
 * {@code jvm.threads.pool.states} gets a limit just above what its cap allows, so that a
 * tag outgrowing its cap shows as the SDK's {@code otel.metric.overflow} series.
 * <p>
 * An instrument with a callback (gauges, counters) gets room for twice its series: the SDK
 * counts the attribute sets of the collection before against the limit too, so when pools
 * come and go between two collections, as their names churn, both collections' pools are
 * counted. A histogram (timers) records directly, and the SDK counts what it holds.
 * <p>
 * Views are part of building an {@code SdkMeterProvider}, so only its builder can take
 * them: an application that builds its own meter provider calls
 * {@link #registerOn(SdkMeterProviderBuilder)}; with the OpenTelemetry Spring Boot starter
 * ThreadLens contributes them itself. Instruments of other scopes are left alone, and each
 * view keeps the instrument's name, description, attributes and default aggregation
 * (explicit bucket advice included).
 */
public final class ThreadLensViews {

	/** The instrumentation scope of every ThreadLens instrument. */
	public static final String INSTRUMENTATION_SCOPE = "io.github.threadlens";

	private final SeriesLimits limits;

	public ThreadLensViews(SeriesLimits limits) {
		this.limits = limits;
	}

	/**
	 * Register a view with a cardinality limit for every ThreadLens instrument whose series
	 * ThreadLens bounds.
	 * @param builder the builder of the application's meter provider
	 * @return the builder
	 */
	public SdkMeterProviderBuilder registerOn(SdkMeterProviderBuilder builder) {
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			String name = definition.openTelemetryName();
			if (name == null) {
				continue;
			}
			this.limits.maxSeries(definition)
				.ifPresent((series) -> builder.registerView(
						InstrumentSelector.builder().setMeterName(INSTRUMENTATION_SCOPE).setName(name).build(),
						View.builder().setCardinalityLimit(cardinalityLimit(definition, series)).build()));
		}
		return builder;
	}

	private static int cardinalityLimit(MeterDefinition definition, int series) {
		long counted = (definition.kind() == MeterKind.TIMER) ? series : 2L * series;
		// The SDK keeps one of the limit's attribute sets for its overflow series.
		return (int) Math.min(counted + 1, Integer.MAX_VALUE);
	}

}
