package io.github.threadlens.export.micrometer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.ThreadStateNames;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes {@code jvm.threads.pool.states{pool,state}} and the overflow counter of the
 * pool cap.
 * <p>
 * Values are read from the shared {@link CappedPoolStates} view when scraped. The set of
 * series follows the view: when a scrape finds that the published pools changed, the rows
 * are re-registered, so a new pool appears from the next scrape on and a vanished one
 * disappears instead of reporting zero forever.
 */
public final class PoolStateMetrics implements MeterBinder, AutoCloseable {

	private final CappedPoolStates poolStates;

	private final List<Thread.State> states;

	private final SharedRegistrations.Holds holds = new SharedRegistrations.Holds();

	/**
	 * Create a binder.
	 * @param poolStates the published per-pool view
	 * @param states the states to publish per pool
	 */
	public PoolStateMetrics(CappedPoolStates poolStates, Set<Thread.State> states) {
		this.poolStates = poolStates;
		this.states = List.copyOf(states);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.holds.add(SharedRegistrations.acquire(registry, PoolStateMetrics.class.getName(),
				(target) -> new Binding(target).unbinder()));
	}

	@Override
	public void close() throws Exception {
		this.holds.close();
	}

	private final class Binding {

		private final MeterRegistry registry;

		private final MultiGauge gauge;

		private final FunctionCounter overflow;

		private CappedPoolStates.View rowsFor;

		private boolean unbound;

		Binding(MeterRegistry registry) {
			this.registry = registry;
			MeterDefinition definition = ThreadLensMeters.THREADS_POOL_STATES;
			this.gauge = MultiGauge.builder(definition.name())
				.description(definition.description())
				.baseUnit(definition.baseUnit())
				.register(registry);
			MeterDefinition overflow = ThreadLensMeters.CARDINALITY_OVERFLOW;
			this.overflow = FunctionCounter
				.builder(overflow.name(), PoolStateMetrics.this.poolStates, CappedPoolStates::overflowTotal)
				.description(overflow.description())
				.baseUnit(overflow.baseUnit())
				.tag(ThreadLensMeters.METER, definition.name())
				.register(registry);
			refreshRows(PoolStateMetrics.this.poolStates.current());
		}

		private double value(String pool, Thread.State state) {
			CappedPoolStates.View view = PoolStateMetrics.this.poolStates.current();
			refreshRows(view);
			return view.count(pool, state);
		}

		private synchronized void refreshRows(CappedPoolStates.View view) {
			if (this.unbound || this.rowsFor == view
					|| (this.rowsFor != null && this.rowsFor.pools().equals(view.pools()))) {
				this.rowsFor = view;
				return;
			}
			this.rowsFor = view;
			List<MultiGauge.Row<?>> rows = new ArrayList<>();
			for (String pool : view.pools()) {
				for (Thread.State state : PoolStateMetrics.this.states) {
					rows.add(MultiGauge.Row.of(Tags.of(ThreadLensMeters.POOL, pool, ThreadLensMeters.STATE,
							ThreadStateNames.tagValue(state)), this, (binding) -> binding.value(pool, state)));
				}
			}
			this.gauge.register(rows, false);
		}

		Runnable unbinder() {
			return () -> {
				synchronized (this) {
					this.unbound = true;
					this.gauge.register(List.of(), true);
					this.registry.remove(this.overflow);
				}
			};
		}

	}

}
