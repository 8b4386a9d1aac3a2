package io.github.threadlens.export.otel;

import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.View;

/**
 * OpenTelemetry SDK views that give each ThreadLens instrument a cardinality limit derived
 * from ThreadLens's own caps ({@link SeriesLimits}), instead of the SDK's default of 2000
 * per instrument: with the defaults, the JFR timers' pool and class tags can legitimately
 * make 2,145 series, which the default would fold, and a capped gauge such as
 * {@code jvm.threads.pool.states} gets a limit just above what its cap allows, so that a
 * tag outgrowing its cap shows as the SDK's {@code otel.metric.overflow} series.
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
			this.limits.maxSeries(definition)
				.ifPresent((series) -> builder.registerView(
						InstrumentSelector.builder().setMeterName(INSTRUMENTATION_SCOPE).setName(definition.name()).build(),
						// The SDK keeps one of the limit's attribute sets for its overflow series.
						View.builder().setCardinalityLimit(series + 1).build()));
		}
		return builder;
	}

}
