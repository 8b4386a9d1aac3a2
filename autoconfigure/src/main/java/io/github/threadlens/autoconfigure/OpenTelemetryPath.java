package io.github.threadlens.autoconfigure;

import java.util.Set;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
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

	private final Set<MeterDefinition> publishedElsewhere;

	private OpenTelemetryPath(Meter meter, @Nullable String offReason, Set<MeterDefinition> publishedElsewhere) {
		this.meter = meter;
		this.offReason = offReason;
		this.publishedElsewhere = publishedElsewhere;
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
				+ "SdkMeterProvider bean)" : null, Set.of());
	}

	/**
	 * The path through the Java agent's global {@link OpenTelemetry}, leaving
	 * {@code jvm.thread.count} to the agent where its runtime telemetry publishes it.
	 * @param global the agent's global
	 * @param agent the agent's settings
	 * @return the path
	 */
	static OpenTelemetryPath ofJavaAgent(OpenTelemetry global, JavaAgentSettings agent) {
		Meter meter = InstrumentationScope.meter(global.getMeterProvider());
		String offReason = null;
		if (InstrumentationScope.isNoop(meter)) {
			offReason = "the Java agent's global OpenTelemetry has no meter provider that exports";
		}
		else if (agent.exportsNoMetrics()) {
			offReason = "the Java agent exports no metrics (" + JavaAgentSettings.METRICS_EXPORTER + "=none)";
		}
		return new OpenTelemetryPath(meter, offReason,
				agent.publishesThreadCount() ? Set.of(ThreadLensMeters.THREAD_COUNT) : Set.of());
	}

	Meter meter() {
		return this.meter;
	}

	/**
	 * Catalog entries another instrumentation publishes on this path.
	 * @return the entries ThreadLens leaves to it
	 */
	Set<MeterDefinition> publishedElsewhere() {
		return this.publishedElsewhere;
	}

	@Override
	public @Nullable String offReason() {
		return this.offReason;
	}

}
