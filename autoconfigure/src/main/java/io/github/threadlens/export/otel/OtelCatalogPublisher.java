package io.github.threadlens.export.otel;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.shared.SharedRegistrations;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.ObservableDoubleMeasurement;

/**
 * The OpenTelemetry sink for catalog gauges and counters: one observable instrument per
 * {@link ObservedMeter} the catalog publishes on this path, whose callback records every row
 * of the source, reading the same snapshots the Micrometer sink reads.
 * <p>
 * Names, attribute keys and values and units are the catalog's OpenTelemetry ones
 * ({@link MeterDefinition#openTelemetryName()}). A gauge that counts threads or tasks is an
 * up-down counter, as the semantic conventions have it for counts that add up across
 * attributes ({@code jvm.thread.count}); other gauges are gauges. A JVM-wide family is
 * registered once per OpenTelemetry meter however many contexts publish it
 * ({@link SharedRegistrations}). Closing the publisher removes every callback it registered.
 */
public final class OtelCatalogPublisher implements AutoCloseable {

	/** Units of gauges that count things, whose values add up across attributes. */
	private static final Set<String> COUNTED = Set.of("threads", "tasks");

	private final SharedRegistrations.Holds holds = new SharedRegistrations.Holds();

	/**
	 * Register every meter of the families on an OpenTelemetry meter.
	 * @param meter the OpenTelemetry meter to register on
	 * @param families the catalog families
	 */
	public OtelCatalogPublisher(Meter meter, List<ObservedMeters> families) {
		this(meter, families, Set.of());
	}

	/**
	 * Register every meter of the families on an OpenTelemetry meter but those another
	 * instrumentation publishes.
	 * @param meter the OpenTelemetry meter to register on
	 * @param families the catalog families
	 * @param publishedElsewhere entries that another instrumentation already publishes on
	 * this path (the Java agent's {@code jvm.thread.count}), which are left to it
	 */
	public OtelCatalogPublisher(Meter meter, List<ObservedMeters> families,
			Set<MeterDefinition> publishedElsewhere) {
		for (ObservedMeters family : families) {
			Supplier<Runnable> binding = () -> register(meter, family, publishedElsewhere);
			this.holds.add(family.jvmWide()
					? SharedRegistrations.acquire(meter, "observed:" + family.family(), binding)
					: binding.get()::run);
		}
	}

	private static Runnable register(Meter meter, ObservedMeters family, Set<MeterDefinition> publishedElsewhere) {
		List<AutoCloseable> instruments = new ArrayList<>();
		for (ObservedMeter observed : family.meters()) {
			MeterDefinition definition = observed.definition();
			if (definition.openTelemetryName() != null && !publishedElsewhere.contains(definition)) {
				instruments.add(register(meter, observed));
			}
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
		String name = Objects.requireNonNull(definition.openTelemetryName());
		Attributor attributor = new Attributor(definition);
		Consumer<ObservableDoubleMeasurement> callback = (measurement) -> attributor.record(observed.source().get(),
				measurement);
		String unit = definition.openTelemetryUnit();
		if (definition.kind() == MeterKind.COUNTER) {
			return meter.counterBuilder(name)
				.setDescription(definition.description())
				.setUnit(unit)
				.ofDoubles()
				.buildWithCallback(callback);
		}
		if (definition.kind() == MeterKind.GAUGE && COUNTED.contains(String.valueOf(definition.baseUnit()))) {
			return meter.upDownCounterBuilder(name)
				.setDescription(definition.description())
				.setUnit(unit)
				.ofDoubles()
				.buildWithCallback(callback);
		}
		if (definition.kind() == MeterKind.GAUGE) {
			return meter.gaugeBuilder(name)
				.setDescription(definition.description())
				.setUnit(unit)
				.buildWithCallback(callback);
		}
		throw new IllegalArgumentException(definition.name() + " is a " + definition.kind()
				+ ": only gauges and counters are observed");
	}

	@Override
	public void close() throws Exception {
		this.holds.close();
	}

	/**
	 * Writes a catalog entry's tag values as the attributes of its instrument, typed as the
	 * catalog types them ({@link ThreadLensMeters#isBoolean}).
	 */
	static final class Attributor {

		private final List<String> tagKeys;

		private final List<AttributeKey<?>> keys;

		Attributor(MeterDefinition definition) {
			this.tagKeys = definition.tagKeys();
			this.keys = this.tagKeys.stream()
				.<AttributeKey<?>>map((tagKey) -> ThreadLensMeters.isBoolean(tagKey)
						? AttributeKey.booleanKey(ThreadLensMeters.openTelemetryAttribute(tagKey))
						: AttributeKey.stringKey(ThreadLensMeters.openTelemetryAttribute(tagKey)))
				.toList();
		}

		@SuppressWarnings("unchecked")
		Attributes attributes(List<String> tagValues) {
			AttributesBuilder attributes = Attributes.builder();
			for (int i = 0; i < this.keys.size(); i++) {
				String value = ThreadLensMeters.openTelemetryValue(this.tagKeys.get(i), tagValues.get(i));
				AttributeKey<?> key = this.keys.get(i);
				if (key.getType() == AttributeType.BOOLEAN) {
					attributes.put((AttributeKey<Boolean>) key, Boolean.parseBoolean(value));
				}
				else {
					attributes.put((AttributeKey<String>) key, value);
				}
			}
			return attributes.build();
		}

		private void record(Rows rows, ObservableDoubleMeasurement measurement) {
			for (List<String> tagValues : rows.keys()) {
				measurement.record(rows.get(tagValues), attributes(tagValues));
			}
		}

	}

}
