package io.github.threadlens.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's meter and property tables are read by users; they must say what the code
 * does. Each catalog entry and each configuration property has its row.
 */
class ReadmeTablesTests {

	private static final Path README = Path.of("../README.md");

	@Test
	void meterTableHasARowPerCatalogEntryWithItsPrometheusName() throws IOException {
		String readme = Files.readString(README);
		PrometheusNamingConvention prometheus = new PrometheusNamingConvention();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			String name = prometheus.name(definition.name(), type(definition.kind()), definition.baseUnit());
			if (definition.kind() == MeterKind.COUNTER) {
				name = name + "_total";
			}
			String tags = definition.tagKeys().isEmpty() ? "—" : String.join(", ", definition.tagKeys());
			String row = "| `" + definition.name() + "` | `" + name + "` | " + definition.kind().name().toLowerCase()
					+ " | " + tags + " |";
			assertThat(readme).as("README meter row for %s", definition.name()).contains(row);
		}
	}

	@Test
	void propertyTableHasARowPerProperty() throws IOException {
		String readme = Files.readString(README);
		JsonNode metadata = new ObjectMapper()
			.readTree(Path.of("target/classes/META-INF/spring-configuration-metadata.json").toFile());
		List<String> names = metadata.get("properties").findValuesAsString("name");
		assertThat(names).isNotEmpty();
		for (String name : names) {
			assertThat(readme).as("README property row for %s", name).contains("| `" + name + "` |");
		}
	}

	private static Meter.Type type(MeterKind kind) {
		return switch (kind) {
			case GAUGE -> Meter.Type.GAUGE;
			case COUNTER -> Meter.Type.COUNTER;
			case TIMER -> Meter.Type.TIMER;
		};
	}

}
