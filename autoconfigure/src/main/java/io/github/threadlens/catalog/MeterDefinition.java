package io.github.threadlens.catalog;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One entry of the ThreadLens meter catalog: everything a sink, the documentation or a
 * rule needs to know about a meter, declared once.
 * <p>
 * Each path names a meter by its own conventions: Micrometer's ({@code jvm.threads.states}
 * with tag {@code state}) and OpenTelemetry's semantic conventions ({@code jvm.thread.count}
 * with attribute {@code jvm.thread.state}). Where one path has no counterpart of an entry
 * the entry is published on the other only.
 *
 * @param name the Micrometer-style dotted name, e.g. {@code jvm.threads.pool.states}; for an
 * entry published on OpenTelemetry only, its OpenTelemetry name
 * @param baseUnit the Micrometer base unit ({@code threads}, {@code seconds}), or
 * {@code null} for a dimensionless count
 * @param description what the meter measures, as shown in the scrape's HELP line
 * @param kind the meter type
 * @param tagKeys the tag keys every series of the meter carries, in order; on the
 * OpenTelemetry path each is written as {@link ThreadLensMeters#openTelemetryAttribute}
 * @param openTelemetryName the name of the instrument on the OpenTelemetry path, or
 * {@code null} when the entry is not published there
 * @param micrometer whether the entry is published on the Micrometer path
 */
public record MeterDefinition(String name, @Nullable String baseUnit, String description, MeterKind kind,
		List<String> tagKeys, @Nullable String openTelemetryName, boolean micrometer) {

	/** Catalog base units in UCUM; a count without a unit is {@code 1}. */
	private static final Map<String, String> UCUM = Map.of("threads", "{thread}", "tasks", "{task}", "seconds", "s");

	public MeterDefinition {
		tagKeys = List.copyOf(tagKeys);
	}

	static MeterDefinition gauge(String name, @Nullable String baseUnit, String description, String... tagKeys) {
		return new MeterDefinition(name, baseUnit, description, MeterKind.GAUGE, List.of(tagKeys), null, true);
	}

	static MeterDefinition counter(String name, @Nullable String baseUnit, String description, String... tagKeys) {
		return new MeterDefinition(name, baseUnit, description, MeterKind.COUNTER, List.of(tagKeys), null, true);
	}

	static MeterDefinition timer(String name, String description, String... tagKeys) {
		return new MeterDefinition(name, "seconds", description, MeterKind.TIMER, List.of(tagKeys), null, true);
	}

	/**
	 * An entry published on the OpenTelemetry path only, where a semantic convention folds
	 * several Micrometer meters into one instrument.
	 */
	static MeterDefinition openTelemetryGauge(String name, String baseUnit, String description, String... tagKeys) {
		return new MeterDefinition(name, baseUnit, description, MeterKind.GAUGE, List.of(tagKeys), name, false);
	}

	/**
	 * This entry, published on the OpenTelemetry path too.
	 * @param name its name there
	 * @return the entry
	 */
	MeterDefinition openTelemetry(String name) {
		return new MeterDefinition(this.name, this.baseUnit, this.description, this.kind, this.tagKeys, name,
				this.micrometer);
	}

	/**
	 * The unit on the OpenTelemetry path, in UCUM ({@code threads} becomes {@code {thread}}).
	 * @return the unit
	 */
	public String openTelemetryUnit() {
		return (this.baseUnit != null) ? UCUM.getOrDefault(this.baseUnit, this.baseUnit) : "1";
	}

	/**
	 * The attribute keys of the OpenTelemetry instrument, in the order of {@link #tagKeys}.
	 * @return the keys
	 */
	public List<String> openTelemetryAttributeKeys() {
		return this.tagKeys.stream().map(ThreadLensMeters::openTelemetryAttribute).toList();
	}

}
