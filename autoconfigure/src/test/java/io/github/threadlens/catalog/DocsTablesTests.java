package io.github.threadlens.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.threadlens.testsupport.MarkdownTables;
import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The meter table of {@code docs/meters.md} and the property table of
 * {@code docs/properties.md} are read by users; they must say what the code does, both ways:
 * every catalog entry and every configuration property has its row, and every row is a
 * catalog entry or a property that exists.
 */
class DocsTablesTests {

	private static final Path METERS = Path.of("../docs/meters.md");

	private static final String METER_TABLE = "| meter | Prometheus | type | tags | source |";

	private static final Path PROPERTIES = Path.of("../docs/properties.md");

	private static final String PROPERTY_TABLE = "| property | default | description |";

	@Test
	void meterTableHasOneRowPerCatalogEntryAndNoOtherRow() throws IOException {
		Map<String, List<String>> rows = byFirstCell(MarkdownTables.rows(METERS, METER_TABLE), METERS);
		Set<String> catalog = new LinkedHashSet<>();
		micrometerEntries().forEach((definition) -> catalog.add(definition.name()));
		assertThat(missing(catalog, rows.keySet())).as("catalog entries without a row in %s", METERS).isEmpty();
		assertThat(missing(rows.keySet(), catalog)).as("rows of %s that are not catalog entries", METERS).isEmpty();
		PrometheusNamingConvention prometheus = new PrometheusNamingConvention();
		for (MeterDefinition definition : micrometerEntries()) {
			List<String> row = rows.get(definition.name());
			String name = prometheus.name(definition.name(), type(definition.kind()), definition.baseUnit());
			if (definition.kind() == MeterKind.COUNTER) {
				name = name + "_total";
			}
			String tags = definition.tagKeys().isEmpty() ? "—" : String.join(", ", definition.tagKeys());
			assertThat(row.subList(1, 4)).as("%s row for %s (Prometheus name, type, tags)", METERS, definition.name())
				.containsExactly("`" + name + "`", definition.kind().name().toLowerCase(Locale.ROOT), tags);
		}
	}

	/** The table is the Micrometer path's; docs/opentelemetry.md has the other's. */
	private static List<MeterDefinition> micrometerEntries() {
		return ThreadLensMeters.all().stream().filter(MeterDefinition::micrometer).toList();
	}

	@Test
	void propertyTableHasOneRowPerPropertyAndNoOtherRow() throws IOException {
		Map<String, List<String>> rows = byFirstCell(MarkdownTables.rows(PROPERTIES, PROPERTY_TABLE), PROPERTIES);
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		for (JsonNode property : new ObjectMapper()
			.readTree(Path.of("target/classes/META-INF/spring-configuration-metadata.json").toFile())
			.get("properties")) {
			properties.put(property.get("name").asString(), property);
		}
		assertThat(properties).isNotEmpty();
		assertThat(missing(properties.keySet(), rows.keySet())).as("properties without a row in %s", PROPERTIES)
			.isEmpty();
		assertThat(missing(rows.keySet(), properties.keySet())).as("rows of %s that are not properties", PROPERTIES)
			.isEmpty();
		properties.forEach((name, property) -> {
			String documented = defaultValue(property);
			if (documented != null) {
				assertThat(rows.get(name).get(1)).as("%s default of %s", PROPERTIES, name)
					.isEqualTo("`" + documented + "`");
			}
		});
	}

	/** The rows by the code span of their first cell, each name once. */
	private static Map<String, List<String>> byFirstCell(List<List<String>> rows, Path file) {
		Map<String, List<String>> byName = new LinkedHashMap<>();
		for (List<String> row : rows) {
			String name = MarkdownTables.code(row.get(0));
			assertThat(byName.put(name, row)).as("second row for %s in %s", name, file).isNull();
		}
		return byName;
	}

	private static List<String> missing(Set<String> expected, Set<String> present) {
		List<String> missing = new ArrayList<>(expected);
		missing.removeAll(present);
		return missing;
	}

	/** The metadata's default as the table writes it, or {@code null} when it has none. */
	private static String defaultValue(JsonNode property) {
		JsonNode value = property.get("defaultValue");
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isArray()) {
			List<String> elements = new ArrayList<>();
			value.forEach((element) -> elements.add(element.asString()));
			return elements.isEmpty() ? null : String.join(", ", elements);
		}
		String text = value.asString();
		if (text.startsWith("[") && text.endsWith("]")) {
			// The processor writes a record's collection default as one string, "[a, b]".
			text = text.substring(1, text.length() - 1);
		}
		return text.isEmpty() ? null : text;
	}

	private static Meter.Type type(MeterKind kind) {
		return switch (kind) {
			case GAUGE -> Meter.Type.GAUGE;
			case COUNTER -> Meter.Type.COUNTER;
			case TIMER -> Meter.Type.TIMER;
		};
	}

}
