package io.github.threadlens.shared;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Registers what is JVM-wide once per target however many application contexts share that
 * target: a meter family in a {@code MeterRegistry} or an OpenTelemetry {@code Meter},
 * Reactor's executor-service decorator in Reactor's {@code Schedulers}.
 * <p>
 * Every context that registers a family holds a lease with its own binding; one of them, the
 * oldest, serves the family at a time. When the serving context closes while others still
 * hold leases, its binding is undone and the next context's binding registers again, reading
 * that context's collectors: a closed context never keeps feeding a shared registration. The
 * registration goes when the last lease is released. That is what keeps a child or sibling
 * context from registering twice, and closing one context from removing what another still
 * registers.
 */
public final class SharedRegistrations {

	private static final Map<Object, Map<String, Family>> FAMILIES = new IdentityHashMap<>();

	private SharedRegistrations() {
	}

	/**
	 * Take a lease on a family published to a target, binding it now if no one serves it.
	 * @param target where the family is published, compared by identity
	 * @param family the family's identity, shared by every context that publishes it
	 * @param binding registers this holder's meters and returns what removes them
	 * @return the lease; closing it releases this holder's share
	 */
	public static Lease acquire(Object target, String family, Supplier<Runnable> binding) {
		synchronized (FAMILIES) {
			Family shared = FAMILIES.computeIfAbsent(target, (key) -> new HashMap<>())
				.computeIfAbsent(family, (key) -> new Family(target, family));
			Lease lease = new Lease(shared, binding);
			try {
				shared.add(lease);
			}
			finally {
				shared.forgetIfUnheld();
			}
			return lease;
		}
	}

	private static final class Family {

		private final Object target;

		private final String name;

		// In the order they were taken: the first serves the family.
		private final List<Lease> leases = new ArrayList<>();

		private Runnable unbind;

		Family(Object target, String name) {
			this.target = target;
			this.name = name;
		}

		// The methods below are called with FAMILIES held.

		void add(Lease lease) {
			if (this.leases.isEmpty()) {
				this.unbind = lease.binding.get();
			}
			this.leases.add(lease);
		}

		void remove(Lease lease) {
			boolean serving = this.leases.get(0) == lease;
			this.leases.remove(lease);
			if (!serving) {
				return;
			}
			Runnable unbind = this.unbind;
			this.unbind = null;
			try {
				if (unbind != null) {
					unbind.run();
				}
				if (!this.leases.isEmpty()) {
					this.unbind = this.leases.get(0).binding.get();
				}
			}
			finally {
				forgetIfUnheld();
			}
		}

		void forgetIfUnheld() {
			if (this.leases.isEmpty()) {
				Map<String, Family> families = FAMILIES.get(this.target);
				families.remove(this.name);
				if (families.isEmpty()) {
					FAMILIES.remove(this.target);
				}
			}
		}

	}

	/**
	 * One holder's share of a family; closing it releases the share.
	 */
	public static final class Lease implements AutoCloseable {

		private final Family family;

		private final Supplier<Runnable> binding;

		private boolean released;

		Lease(Family family, Supplier<Runnable> binding) {
			this.family = family;
			this.binding = binding;
		}

		@Override
		public void close() {
			synchronized (FAMILIES) {
				if (!this.released) {
					this.released = true;
					this.family.remove(this);
				}
			}
		}

	}

	/**
	 * The leases one publisher holds, released together when its context closes.
	 */
	public static final class Holds implements AutoCloseable {

		private final List<AutoCloseable> holds = new ArrayList<>();

		/**
		 * Keep a lease, or anything else to close with the others.
		 * @param hold what to close
		 */
		public synchronized void add(AutoCloseable hold) {
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
