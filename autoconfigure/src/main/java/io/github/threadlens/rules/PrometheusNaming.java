package io.github.threadlens.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.OpenTelemetryFold;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The names ThreadLens's series have in Prometheus, per export path: the series name of a
 * catalog entry, the label of each of its tags and the spelling of their values, all derived
 * from the catalog. Rules and dashboards are written once against the catalog and rendered
 * for the path that is scraped.
 * <p>
 * An entry that a path does not publish is read from the entry that takes its place there:
 * on the OpenTelemetry path, {@code jvm.threads.live} is {@code jvm.thread.count} summed over
 * its daemon and state attributes, and {@code executor.active} is
 * {@code jvm.executor.thread.count} of the threads in state {@code active}.
 */
public enum PrometheusNaming {

	/**
	 * Micrometer's Prometheus registry, as {@code /actuator/prometheus} writes the catalog:
	 * dots to underscores, the base unit appended, {@code _total} for counters; tag keys with
	 * dots to underscores; values as they are.
	 */
	MICROMETER("micrometer") {

		@Override
		public boolean publishes(MeterDefinition definition) {
			return definition.micrometer();
		}

		@Override
		String publishedName(MeterDefinition definition) {
			String name = definition.name().replace('.', '_');
			String unit = definition.baseUnit();
			if (unit != null && !name.endsWith("_" + unit)) {
				name = name + "_" + unit;
			}
			return (definition.kind() == MeterKind.COUNTER) ? name + "_total" : name;
		}

		@Override
		public String label(String tagKey) {
			return tagKey.replace('.', '_');
		}

		@Override
		public String value(String tagKey, String value) {
			return value;
		}

	},

	/**
	 * OpenTelemetry's Prometheus exporter, as it writes the OpenTelemetry path: the
	 * instrument's name with dots to underscores, {@code _seconds} for the unit {@code s}
	 * (annotations such as {@code {thread}} and the unit {@code 1} add nothing),
	 * {@code _total} for counters; attribute keys with dots to underscores; values as the
	 * semantic conventions spell them ({@code timed_waiting}).
	 */
	OPENTELEMETRY("opentelemetry") {

		@Override
		public boolean publishes(MeterDefinition definition) {
			return definition.openTelemetryName() != null;
		}

		@Override
		String publishedName(MeterDefinition definition) {
			String name = definition.openTelemetryName().replace('.', '_');
			if (definition.openTelemetryUnit().equals("s") && !name.endsWith("_seconds")) {
				name = name + "_seconds";
			}
			return (definition.kind() == MeterKind.COUNTER) ? name + "_total" : name;
		}

		@Override
		public String label(String tagKey) {
			return ThreadLensMeters.openTelemetryAttribute(tagKey).replace('.', '_');
		}

		@Override
		public String value(String tagKey, String value) {
			return ThreadLensMeters.openTelemetryValue(tagKey, value);
		}

		@Override
		OpenTelemetryFold substitute(MeterDefinition definition) {
			return ThreadLensMeters.openTelemetryFold(definition).orElseGet(() -> super.substitute(definition));
		}

	};

	/** A label read in an alert's template. */
	private static final Pattern TEMPLATE_LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");

	/** Every tag key of the catalog, by its label on the Micrometer path. */
	private static final Map<String, String> TAG_KEYS = ThreadLensMeters.all()
		.stream()
		.flatMap((definition) -> definition.tagKeys().stream())
		.distinct()
		.collect(Collectors.toUnmodifiableMap(MICROMETER::label, Function.identity()));

	private final String id;

	PrometheusNaming(String id) {
		this.id = id;
	}

	/**
	 * The naming's identifier, as {@code threadlens.alerts.naming} and the
	 * {@code prometheusrules} endpoint's {@code naming} parameter take it.
	 * @return {@code micrometer} or {@code opentelemetry}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The naming with an identifier.
	 * @param id {@code micrometer} or {@code opentelemetry}
	 * @return the naming
	 * @throws IllegalArgumentException if there is none of that identifier
	 */
	public static PrometheusNaming of(String id) {
		for (PrometheusNaming naming : values()) {
			if (naming.id.equals(id)) {
				return naming;
			}
		}
		throw new IllegalArgumentException("'" + id + "' is not a naming: use 'micrometer' or 'opentelemetry'");
	}

	/**
	 * Whether the path publishes an entry under a name of its own.
	 * @param definition the catalog entry
	 * @return {@code false} when the entry is read from a substitute, or not at all
	 */
	public abstract boolean publishes(MeterDefinition definition);

	abstract String publishedName(MeterDefinition definition);

	/**
	 * The series name of a gauge or counter, or the base name of a timer (whose series add
	 * {@code _bucket}, {@code _count}, {@code _sum}); for an entry the path does not publish,
	 * the name of the one that takes its place. Meant for names in text; a query reads an
	 * entry through {@link #select}.
	 * @param definition the catalog entry
	 * @return the Prometheus name
	 * @throws IllegalArgumentException if the path has nothing in the entry's place
	 */
	public String name(MeterDefinition definition) {
		return publishes(definition) ? publishedName(definition) : publishedName(substitute(definition).instrument());
	}

	/**
	 * The Prometheus label of a catalog tag key.
	 * @param tagKey the tag key, e.g. {@code pool}
	 * @return the label, e.g. {@code jvm_thread_pool_name} on the OpenTelemetry path
	 */
	public abstract String label(String tagKey);

	/**
	 * A tag value as the path spells it.
	 * @param tagKey the tag key
	 * @param value the value as the catalog (and Micrometer) writes it, e.g. {@code timed-waiting}
	 * @return the label value
	 */
	public abstract String value(String tagKey, String value);

	/**
	 * A template written with Micrometer's labels, such as an alert's
	 * {@code {{ $labels.pool }}}, with each label of a catalog tag renamed to this path's.
	 * @param template the template
	 * @return the template in this path's labels
	 */
	public String labels(String template) {
		Matcher label = TEMPLATE_LABEL.matcher(template);
		StringBuilder renamed = new StringBuilder();
		while (label.find()) {
			label.appendReplacement(renamed, Matcher.quoteReplacement("$labels." + fromMicrometer(label.group(1))));
		}
		return label.appendTail(renamed).toString();
	}

	/**
	 * A label of the Micrometer path as this path names it, for what was written against
	 * Micrometer's series.
	 * @param micrometerLabel a label, e.g. {@code pool}
	 * @return this path's label of the same catalog tag, or the label as it is when it is
	 * not one of a catalog tag
	 */
	public String fromMicrometer(String micrometerLabel) {
		String tagKey = TAG_KEYS.get(micrometerLabel);
		return (tagKey != null) ? label(tagKey) : micrometerLabel;
	}

	/**
	 * A label value of the Micrometer path as this path spells it.
	 * @param micrometerLabel the label, e.g. {@code state}
	 * @param value its value there, e.g. {@code timed-waiting}
	 * @return this path's value, or the value as it is when the label is not one of a
	 * catalog tag
	 */
	public String fromMicrometer(String micrometerLabel, String value) {
		String tagKey = TAG_KEYS.get(micrometerLabel);
		return (tagKey != null) ? value(tagKey, value) : value;
	}

	/**
	 * An expression whose series are a gauge's or a counter's, one per combination of the
	 * entry's tags, with the selector's matchers.
	 * @param definition the catalog entry
	 * @param selector the matchers every vector selector gets
	 * @return a vector selector, or an aggregation of the entry's substitute
	 */
	public String select(MeterDefinition definition, Selector selector) {
		return select(definition, "", selector, Map.of());
	}

	/**
	 * As {@link #select(MeterDefinition, Selector)}, only the series with one tag value.
	 * @param definition the catalog entry
	 * @param selector the matchers every vector selector gets
	 * @param tagKey the tag key
	 * @param value its value, as the catalog writes it
	 * @return a vector selector, or an aggregation of the entry's substitute
	 */
	public String select(MeterDefinition definition, Selector selector, String tagKey, String value) {
		return select(definition, "", selector, Map.of(tagKey, value));
	}

	/**
	 * The bucket series of a timer's histogram.
	 * @param timer the catalog entry of a timer
	 * @param selector the matchers every vector selector gets
	 * @return the vector selector of its {@code _bucket} series
	 */
	public String buckets(MeterDefinition timer, Selector selector) {
		return select(timer, "_bucket", selector, Map.of());
	}

	/**
	 * The count series of a timer.
	 * @param timer the catalog entry of a timer
	 * @param selector the matchers every vector selector gets
	 * @return the vector selector of its {@code _count} series
	 */
	public String count(MeterDefinition timer, Selector selector) {
		return select(timer, "_count", selector, Map.of());
	}

	private String select(MeterDefinition definition, String suffix, Selector selector, Map<String, String> tags) {
		if (publishes(definition)) {
			return selector.select(publishedName(definition) + suffix, matchers(tags));
		}
		OpenTelemetryFold fold = substitute(definition);
		Map<String, String> all = new LinkedHashMap<>(fold.tags());
		all.putAll(tags);
		List<String> folded = fold.instrument()
			.tagKeys()
			.stream()
			.filter((tagKey) -> !definition.tagKeys().contains(tagKey))
			.map(this::label)
			.toList();
		// A range selector cannot be aggregated: substitutes are gauges, read at an instant.
		return "sum without (" + String.join(", ", folded) + ") ("
				+ selector.select(publishedName(fold.instrument()) + suffix, matchers(all)) + ")";
	}

	private String[] matchers(Map<String, String> tags) {
		List<String> matchers = new ArrayList<>();
		tags.forEach((tagKey, value) -> matchers.add(label(tagKey) + "=" + Selector.quote(value(tagKey, value))));
		return matchers.toArray(String[]::new);
	}

	/**
	 * The entry that takes another's place on this path.
	 * @param definition an entry the path does not publish
	 * @return its substitute
	 */
	OpenTelemetryFold substitute(MeterDefinition definition) {
		throw new IllegalArgumentException(definition.name() + " has no series through " + this.id);
	}

}
