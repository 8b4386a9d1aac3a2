package io.github.threadlens.testsupport;

import java.util.OptionalInt;
import java.util.stream.Collectors;

import io.github.threadlens.blocking.JfrContention;
import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.rules.PrometheusNaming;

/**
 * The catalog entries whose series the caps bound (every tag capped or of a fixed
 * vocabulary: all but the executor families, named after the application's beans), as
 * {@code /actuator/prometheus} writes them.
 */
public final class CappedSeries {

	private CappedSeries() {
	}

	/**
	 * The most lines the capped entries can have in one scrape: each entry's most series, a
	 * timer as its buckets, {@code +Inf}, {@code _count}, {@code _sum} and {@code _max}. The
	 * few entries only the OpenTelemetry path publishes are counted too.
	 * @param limits the caps
	 * @return the bound
	 */
	public static long lines(SeriesLimits limits) {
		long lines = 0;
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			OptionalInt series = limits.maxSeries(definition);
			if (series.isPresent()) {
				int perSeries = (definition.kind() == MeterKind.TIMER) ? JfrContention.BUCKETS.size() + 4 : 1;
				lines += (long) series.getAsInt() * perSeries;
			}
		}
		return lines;
	}

	/**
	 * A PromQL regular expression that matches the names of the capped entries' series.
	 * @param limits the caps
	 * @return the regular expression, for {@code __name__=~}
	 */
	public static String names(SeriesLimits limits) {
		return ThreadLensMeters.all()
			.stream()
			.filter((definition) -> limits.maxSeries(definition).isPresent() && definition.micrometer())
			.map((definition) -> PrometheusNaming.MICROMETER.name(definition)
					+ ((definition.kind() == MeterKind.TIMER) ? "(_bucket|_count|_sum|_max)" : ""))
			.collect(Collectors.joining("|"));
	}

}
