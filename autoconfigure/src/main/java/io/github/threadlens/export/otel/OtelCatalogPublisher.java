package io.github.threadlens.export.otel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.export.SharedRegistrations;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;

/**
 * The OpenTelemetry sink for catalog gauges and counters: one observable instrument per
 * {@link ObservedMeter}, whose callback records every row of the source, reading the same
 * snapshots the Micrometer sink reads.
 * <p>
 * Names and descriptions are the catalog's; units are translated to UCUM
 * ({@code threads} becomes {@code {thread}}). A JVM-wide family is registered once per
 * OpenTelemetry meter however many contexts publish it ({@link SharedRegistrations}).
 * Closing the publisher removes every callback it registered.
 */
public final class OtelCatalogPublisher implements AutoCloseable {

	/** Catalog base units in UCUM; a count without a unit is {@code 1}. */
	private static final Map<String, String> UCUM = Map.of("threads", "{thread}", "tasks", "{task}", "seconds", "s");

	private final SharedRegistrations.Holds holds = new SharedRegistrations.Holds();

	/**
	 * Register every meter of the families on an OpenTelemetry meter.
	 * @param meter the OpenTelemetry meter to register on
	 * @param families the catalog families
	 */
	public OtelCatalogPublisher(Meter meter, List<ObservedMeters> families) {
		for (ObservedMeters family : families) {
			Supplier<Runnable> binding = () -> register(meter, family);
			this.holds.add(family.jvmWide()
					? SharedRegistrations.acquire(meter, "observed:" + family.family(), binding)
					: binding.get()::run);
		}
	}

	private static Runnable register(Meter meter, ObservedMeters family) {
		List<AutoCloseable> instruments = new ArrayList<>();
		for (ObservedMeter observed : family.meters()) {
			instruments.add(register(meter, observed));
		}
		return () -> {
			for (AutoCloseable instrument : instruments) {
				try {
					instrument.close();
				}
				catch (Exception ex) {
					// Closing an instrument only removes its callback; nothing is left to undo.
				}
			}
		};
	}

	private static AutoCloseable register(Meter meter, ObservedMeter observed) {
		MeterDefinition definition = observed.definition();
		Consumer<ObservableDoubleMeasurement> callback = (measurement) -> record(definition,
				observed.source().get(), measurement);
		String unit = unit(definition);
		if (definition.kind() == MeterKind.COUNTER) {
			return meter.counterBuilder(definition.name())
				.setDescription(definition.description())
				.setUnit(unit)
				.ofDoubles()
				.buildWithCallback(callback);
		}
		if (definition.kind() == MeterKind.GAUGE) {
			return meter.gaugeBuilder(definition.name())
				.setDescription(definition.description())
				.setUnit(unit)
				.buildWithCallback(callback);
		}
		throw new IllegalArgumentException(definition.name() + " is a " + definition.kind()
				+ ": only gauges and counters are observed");
	}

	/**
	 * The UCUM unit of a catalog entry.
	 * @param definition the entry
	 * @return its unit
	 */
	static String unit(MeterDefinition definition) {
		return (definition.baseUnit() != null) ? UCUM.getOrDefault(definition.baseUnit(), definition.baseUnit())
				: "1";
	}

	private static void record(MeterDefinition definition, Rows rows, ObservableDoubleMeasurement measurement) {
		List<String> keys = definition.tagKeys();
		for (List<String> tagValues : rows.keys()) {
			AttributesBuilder attributes = Attributes.builder();
			for (int i = 0; i < keys.size(); i++) {
				attributes.put(AttributeKey.stringKey(keys.get(i)), tagValues.get(i));
			}
			measurement.record(rows.get(tagValues), attributes.build());
		}
	}

	@Override
	public void close() throws Exception {
		this.holds.close();
	}

}
