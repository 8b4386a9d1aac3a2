package io.github.threadlens.export.micrometer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds JVM-wide meter families once per registry however many application contexts share
 * that registry. The first context to bind a family registers its meters; later ones only
 * take a lease; the meters are removed when the last lease is released. That is what keeps
 * a child or sibling context from registering twice, and closing one context from removing
 * meters another still publishes.
 */
final class SharedRegistrations {

	private static final Map<MeterRegistry, Map<String, Lease>> LEASES = new IdentityHashMap<>();

	private SharedRegistrations() {
	}

	/**
	 * Bind a family to a registry unless it is bound there already.
	 * @param registry the registry
	 * @param family the family's identity, shared by every context that publishes it
	 * @param binder registers the family's meters and returns what removes them
	 * @return the lease; closing it releases this holder's share
	 */
	static AutoCloseable acquire(MeterRegistry registry, String family,
			Function<MeterRegistry, Runnable> binder) {
		synchronized (LEASES) {
			Map<String, Lease> families = LEASES.computeIfAbsent(registry, (key) -> new HashMap<>());
			Lease lease = families.get(family);
			if (lease == null) {
				lease = new Lease(registry, family, binder.apply(registry));
				families.put(family, lease);
			}
			lease.holders++;
			return new Hold(lease);
		}
	}

	private static final class Lease {

		private final MeterRegistry registry;

		private final String family;

		private final Runnable unbind;

		private int holders;

		Lease(MeterRegistry registry, String family, Runnable unbind) {
			this.registry = registry;
			this.family = family;
			this.unbind = unbind;
		}

		// Called with LEASES held.
		void release() {
			if (--this.holders == 0) {
				Map<String, Lease> families = LEASES.get(this.registry);
				families.remove(this.family);
				if (families.isEmpty()) {
					LEASES.remove(this.registry);
				}
				this.unbind.run();
			}
		}

	}

	private static final class Hold implements AutoCloseable {

		private final Lease lease;

		private boolean released;

		Hold(Lease lease) {
			this.lease = lease;
		}

		@Override
		public void close() {
			synchronized (LEASES) {
				if (!this.released) {
					this.released = true;
					this.lease.release();
				}
			}
		}

	}

	/**
	 * The leases one binder holds, released together when its context closes.
	 */
	static final class Holds implements AutoCloseable {

		private final List<AutoCloseable> holds = new ArrayList<>();

		synchronized void add(AutoCloseable hold) {
			this.holds.add(hold);
		}

		@Override
		public synchronized void close() throws Exception {
			for (AutoCloseable hold : this.holds) {
				hold.close();
			}
			this.holds.clear();
		}

	}

}
