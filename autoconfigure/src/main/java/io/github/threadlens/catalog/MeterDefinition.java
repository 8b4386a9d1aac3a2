package io.github.threadlens.catalog;

import java.util.List;

/**
 * One entry of the ThreadLens meter catalog: everything a sink, the documentation or a
 * rule needs to know about a meter, declared once.
 *
 * @param name the Micrometer-style dotted name, e.g. {@code jvm.threads.pool.states}
 * @param baseUnit the Micrometer base unit ({@code threads}, {@code seconds}), or
 * {@code null} for a dimensionless count
 * @param description what the meter measures, as shown in the scrape's HELP line
 * @param kind the meter type
 * @param tagKeys the tag keys every series of the meter carries, in order
 */
public record MeterDefinition(String name, String baseUnit, String description, MeterKind kind,
		List<String> tagKeys) {

	public MeterDefinition {
		tagKeys = List.copyOf(tagKeys);
	}

	static MeterDefinition gauge(String name, String baseUnit, String description, String... tagKeys) {
		return new MeterDefinition(name, baseUnit, description, MeterKind.GAUGE, List.of(tagKeys));
	}

	static MeterDefinition counter(String name, String baseUnit, String description, String... tagKeys) {
		return new MeterDefinition(name, baseUnit, description, MeterKind.COUNTER, List.of(tagKeys));
	}

	static MeterDefinition timer(String name, String description, String... tagKeys) {
		return new MeterDefinition(name, "seconds", description, MeterKind.TIMER, List.of(tagKeys));
	}

}
