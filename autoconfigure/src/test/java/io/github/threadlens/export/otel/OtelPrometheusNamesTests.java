package io.github.threadlens.export.otel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.testsupport.MarkdownTables;
import io.github.threadlens.testsupport.OtelExporterScrapes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every catalog entry published through the OpenTelemetry path and scraped from OTel's own
 * Prometheus exporter: the names table of {@code docs/opentelemetry.md} says what the catalog
 * publishes on that path (name, attributes, unit) and what that exporter really writes, with a
 * row for every catalog entry and no other row.
 */
class OtelPrometheusNamesTests {

	private static final Path OPENTELEMETRY = Path.of("../docs/opentelemetry.md");

	private static final String NAMES_TABLE = "| entry | OpenTelemetry | attributes | unit "
			+ "| Prometheus via OpenTelemetry | convention |";

	private static final String NONE = "—";

	@Test
	void docsNameEveryEntryAsOtelsPrometheusExporterWritesIt() throws Exception {
		Map<String, List<String>> documented = new LinkedHashMap<>();
		for (List<String> row : MarkdownTables.rows(OPENTELEMETRY, NAMES_TABLE)) {
			String entry = MarkdownTables.code(row.get(0));
			assertThat(documented.put(entry, row.subList(1, 5)))
				.as("second row for %s in %s", entry, OPENTELEMETRY)
				.isNull();
		}
		Map<String, List<String>> expected = new LinkedHashMap<>();
		String scrape = OtelExporterScrapes.everyEntry((tagKey) -> "x");
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			expected.put(definition.name(), row(definition, scrape));
		}
		StringBuilder table = new StringBuilder();
		expected.forEach((entry, cells) -> table.append("| `").append(entry).append("` | ")
			.append(String.join(" | ", cells)).append(" |\n"));
		assertThat(documented).as("the names table of %s; the catalog and the exporter make it:%n%s", OPENTELEMETRY,
				table)
			.isEqualTo(expected);
	}

	private static List<String> row(MeterDefinition definition, String scrape) {
		if (definition.openTelemetryName() == null) {
			return List.of(NONE, NONE, NONE, NONE);
		}
		List<String> attributes = definition.openTelemetryAttributeKeys();
		return List.of(code(definition.openTelemetryName()),
				attributes.isEmpty() ? NONE
						: String.join(", ", attributes.stream().map(OtelPrometheusNamesTests::code).toList()),
				code(definition.openTelemetryUnit()), code(withoutRatioSuffix(exportedName(scrape, definition), definition)));
	}

	private static String code(String text) {
		return "`" + text + "`";
	}

	/**
	 * The name as the exporter Boot 4.1 manages writes it: older ones (Boot 4.0's 1.55) add
	 * {@code _ratio} for the unit {@code 1} (before a counter's {@code _total}), which the docs
	 * leave out.
	 */
	private static String withoutRatioSuffix(String exported, MeterDefinition definition) {
		return (definition.baseUnit() == null) ? exported.replaceFirst("_ratio(_total)?$", "$1") : exported;
	}

	/** The metric family whose HELP is the entry's description. */
	private static String exportedName(String scrape, MeterDefinition definition) {
		Matcher help = Pattern.compile("^# HELP (\\S+) " + Pattern.quote(definition.description()) + "$",
				Pattern.MULTILINE)
			.matcher(scrape);
		assertThat(help.find()).as("%s in the exporter's scrape", definition.name()).isTrue();
		return help.group(1);
	}

}
