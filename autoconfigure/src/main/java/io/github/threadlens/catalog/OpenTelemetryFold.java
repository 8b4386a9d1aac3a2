package io.github.threadlens.catalog;

import java.util.Map;

/**
 * Where the OpenTelemetry path carries an entry it has no instrument for: the semantic
 * conventions fold several of Micrometer's meters into one instrument with an attribute
 * more ({@code jvm.thread.count} for the live, daemon and per-state thread gauges,
 * {@code jvm.executor.thread.count} for an executor's active threads and pool size).
 *
 * @param instrument the entry whose instrument carries the folded one's series
 * @param tags the values its extra tags have for the folded entry, by tag key, as the
 * catalog writes them; its other tags that the folded entry does not have are summed over
 */
public record OpenTelemetryFold(MeterDefinition instrument, Map<String, String> tags) {

	public OpenTelemetryFold {
		tags = Map.copyOf(tags);
	}

}
