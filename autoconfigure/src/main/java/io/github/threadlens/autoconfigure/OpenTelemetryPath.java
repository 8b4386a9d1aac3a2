package io.github.threadlens.autoconfigure;

import io.github.threadlens.export.otel.InstrumentationScope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.Meter;
import org.jspecify.annotations.Nullable;

/**
 * The meter the OpenTelemetry path publishes through, and whether it goes anywhere. An
 * {@link OpenTelemetry} whose meter provider hands out no-op meters exports nothing: Spring
 * Boot's SDK gets a meter provider only from an {@code SdkMeterProvider} bean, and an SDK
 * meter provider without a metric reader is a no-op too. The path is off then and says why;
 * the sinks are still given the meter, which records and collects nothing.
 */
final class OpenTelemetryPath implements ExportPath {

	private final Meter meter;

	private final @Nullable String offReason;

	private OpenTelemetryPath(Meter meter, @Nullable String offReason) {
		this.meter = meter;
		this.offReason = offReason;
	}

	/**
	 * The path through an {@link OpenTelemetry}.
	 * @param openTelemetry the application's bean or the Java agent's global
	 * @param source what it is, for the reason the path is off
	 * @return the path
	 */
	static OpenTelemetryPath of(OpenTelemetry openTelemetry, String source) {
		Meter meter = InstrumentationScope.meter(openTelemetry.getMeterProvider());
		return new OpenTelemetryPath(meter, InstrumentationScope.isNoop(meter) ? source
				+ " has no meter provider that exports (Spring Boot's OpenTelemetry SDK gets one only from an "
				+ "SdkMeterProvider bean)" : null);
	}

	Meter meter() {
		return this.meter;
	}

	@Override
	public @Nullable String offReason() {
		return this.offReason;
	}

}
