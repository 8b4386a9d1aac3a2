package io.github.threadlens.export.micrometer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.shared.SharedRegistrations;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * The Micrometer sink for catalog gauges and counters: registers one Micrometer meter per
 * row of each {@link ObservedMeter}, whose value is read from the source when scraped.
 * <p>
 * The set of series follows the rows: when a scrape finds that a source's tag-value
 * combinations changed, new series are registered and vanished ones removed, so a new pool
 * appears from the next scrape on and a gone one stops being reported instead of showing 0
 * forever. Meters another binder already publishes ({@link OtherMeterBinders}) are left to
 * it.
 */
public final class ObservedMeterBinder implements MeterBinder, AutoCloseable {

	private final List<ObservedMeters> families;

	private final OtherMeterBinders others;

	private final SharedRegistrations.Holds holds = new SharedRegistrations.Holds();

	/**
	 * Create the binder that leaves the {@code JvmThreadMetrics} family to that binder.
	 * @param families the catalog families
	 */
	public ObservedMeterBinder(List<ObservedMeters> families) {
		this(families, OtherMeterBinders.JVM_THREAD_METRICS);
	}

	/**
	 * Create the binder.
	 * @param families the catalog families
	 * @param others the binders that already publish some entries, which this one must not
	 * register a second time
	 */
	public ObservedMeterBinder(List<ObservedMeters> families, OtherMeterBinders others) {
		this.families = List.copyOf(families);
		this.others = others;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ObservedMeters family : this.families) {
			if (this.others.publish(family)) {
				continue;
			}
			if (family.jvmWide()) {
				this.holds.add(SharedRegistrations.acquire(registry, "observed:" + family.family(),
						() -> bind(registry, family, this.others)));
			}
			else {
				Runnable unbind = bind(registry, family, this.others);
				this.holds.add(unbind::run);
			}
		}
	}

	private static Runnable bind(MeterRegistry registry, ObservedMeters family, OtherMeterBinders others) {
		List<Series> bound = new ArrayList<>();
		for (ObservedMeter meter : family.meters()) {
			if (meter.definition().micrometer() && !others.publish(meter.definition())) {
				bound.add(new Series(registry, meter.definition(), meter.source()));
			}
		}
		Runnable refresh = () -> bound.forEach(Series::refresh);
		AutoCloseable subscription = family.changes().subscribe(refresh);
		refresh.run();
		return () -> {
			try {
				subscription.close();
			}
			catch (Exception ex) {
				// Unsubscribing only removes a listener; nothing is left to undo.
			}
			bound.forEach(Series::unbind);
		};
	}

	@Override
	public void close() throws Exception {
		this.holds.close();
	}

	/**
	 * The registered series of one catalog meter.
	 */
	private static final class Series {

		private final MeterRegistry registry;

		private final MeterDefinition definition;

		private final Supplier<Rows> source;

		private final Map<List<String>, Meter> meters = new HashMap<>();

		private Rows registeredFor;

		// The series the last change of membership removed, with their values before it.
		private volatile Map<List<String>, Double> lastValues = Map.of();

		private boolean unbound;

		Series(MeterRegistry registry, MeterDefinition definition, Supplier<Rows> source) {
			this.registry = registry;
			this.definition = definition;
			this.source = source;
		}

		void refresh() {
			refresh(this.source.get());
		}

		double value(List<String> key) {
			Rows rows = this.source.get();
			refresh(rows);
			if (rows.keys().contains(key)) {
				return rows.get(key);
			}
			// Read in the scrape that finds it gone: its last value, not a drop to zero that
			// a counter's rate() would take for a reset.
			Double last = this.lastValues.get(key);
			return (last != null) ? last : rows.get(key);
		}

		synchronized void refresh(Rows rows) {
			if (this.unbound || rows == this.registeredFor) {
				return;
			}
			Rows previous = this.registeredFor;
			this.registeredFor = rows;
			if (rows.keys().equals(this.meters.keySet())) {
				return;
			}
			Map<List<String>, Double> lastValues = new HashMap<>();
			for (List<String> gone : new HashSet<>(this.meters.keySet())) {
				if (!rows.keys().contains(gone)) {
					this.registry.remove(this.meters.remove(gone));
					if (previous != null) {
						lastValues.put(gone, previous.get(gone));
					}
				}
			}
			this.lastValues = lastValues;
			for (List<String> key : rows.keys()) {
				this.meters.computeIfAbsent(key, this::register);
			}
		}

		private Meter register(List<String> key) {
			Tags tags = Tags.empty();
			for (int i = 0; i < key.size(); i++) {
				tags = tags.and(this.definition.tagKeys().get(i), key.get(i));
			}
			if (this.definition.kind() == MeterKind.COUNTER) {
				return FunctionCounter.builder(this.definition.name(), this, (series) -> series.value(key))
					.tags(tags)
					.description(this.definition.description())
					.baseUnit(this.definition.baseUnit())
					.register(this.registry);
			}
			return Gauge.builder(this.definition.name(), this, (series) -> series.value(key))
				.tags(tags)
				.description(this.definition.description())
				.baseUnit(this.definition.baseUnit())
				.strongReference(true)
				.register(this.registry);
		}

		synchronized void unbind() {
			this.unbound = true;
			this.meters.values().forEach(this.registry::remove);
			this.meters.clear();
		}

	}

}
