package io.github.threadlens.catalog;

import java.util.function.Supplier;

/**
 * A catalog gauge or counter bound to the collector that measures it. Every sink publishes
 * the same definition from the same source: that is what makes the Micrometer and
 * OpenTelemetry paths report equal values.
 * <p>
 * The source should return the same {@link Rows} instance for as long as the underlying
 * snapshot is unchanged: sinks read it once per series and re-read the set of series only
 * when the instance changes.
 *
 * @param definition the catalog entry
 * @param source the current rows
 */
public record ObservedMeter(MeterDefinition definition, Supplier<Rows> source) {

}
