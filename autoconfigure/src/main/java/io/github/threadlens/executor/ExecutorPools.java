package io.github.threadlens.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The pools of the instrumented executors: the gauges published for each, in two sets (see
 * {@link ExecutorMonitors#SPRING_POOLS}), the maximum size of each bounded pool, and the
 * listeners told when an executor appears. A pool that terminated leaves at the next read.
 */
final class ExecutorPools {

	/** The gauges every pool of a kind ThreadLens can read publishes, in catalog order. */
	private static final List<MeterDefinition> POOL_GAUGES = List.of(ThreadLensMeters.EXECUTOR_COMPLETED,
			ThreadLensMeters.EXECUTOR_ACTIVE, ThreadLensMeters.EXECUTOR_QUEUED, ThreadLensMeters.EXECUTOR_QUEUE_REMAINING,
			ThreadLensMeters.EXECUTOR_POOL_SIZE, ThreadLensMeters.EXECUTOR_POOL_CORE, ThreadLensMeters.EXECUTOR_POOL_MAX,
			ThreadLensMeters.EXECUTOR_RUNNING, ThreadLensMeters.EXECUTOR_PARALLELISM, ThreadLensMeters.EXECUTOR_STEALS,
			ThreadLensMeters.VIRTUAL_ACTIVE);

	/** Pools whose gauges ThreadLens publishes on every sink, because nothing else binds them. */
	private final Map<String, PoolGauges> published = new ConcurrentHashMap<>();

	/** Pools of Spring's task executor beans: see {@link ExecutorMonitors#SPRING_POOLS}. */
	private final Map<String, PoolGauges> spring = new ConcurrentHashMap<>();

	/** The maximum size of every bounded pool instrumented, published or not. */
	private final Map<String, IntSupplier> maxima = new ConcurrentHashMap<>();

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	void publish(String name, PoolGauges gauges) {
		this.published.put(name, gauges);
		changed();
	}

	void publishIfAbsent(String name, Supplier<PoolGauges> gauges) {
		this.published.computeIfAbsent(name, (key) -> gauges.get());
		changed();
	}

	void publishSpring(String name, PoolGauges gauges) {
		this.spring.put(name, gauges);
		changed();
	}

	void bounded(String name, IntSupplier max) {
		this.maxima.put(name, max);
	}

	OptionalInt maxThreads(String name) {
		IntSupplier max = this.maxima.get(name);
		if (max != null) {
			return OptionalInt.of(max.getAsInt());
		}
		PoolGauges gauges = this.published.get(name);
		DoubleSupplier published = (gauges != null) ? gauges.values().get(ThreadLensMeters.EXECUTOR_POOL_MAX) : null;
		return (published != null) ? OptionalInt.of((int) published.getAsDouble()) : OptionalInt.empty();
	}

	List<ObservedMeter> gauges() {
		return gauges(this.published);
	}

	List<ObservedMeter> springGauges() {
		return gauges(this.spring);
	}

	/** Tell the sinks' listeners that the executors or their pools changed. */
	void changed() {
		this.listeners.forEach(Runnable::run);
	}

	AutoCloseable subscribe(Runnable listener) {
		this.listeners.add(listener);
		return () -> this.listeners.remove(listener);
	}

	private static List<ObservedMeter> gauges(Map<String, PoolGauges> pools) {
		List<ObservedMeter> gauges = new ArrayList<>();
		for (MeterDefinition definition : POOL_GAUGES) {
			gauges.add(new ObservedMeter(definition, () -> rows(pools, (name, pool, rows) -> {
				double value = read(pool, definition);
				if (!Double.isNaN(value)) {
					rows.add(value, name);
				}
			})));
		}
		gauges.add(new ObservedMeter(ThreadLensMeters.EXECUTOR_THREAD_COUNT,
				() -> rows(pools, ExecutorPools::threadCount)));
		return gauges;
	}

	/**
	 * The semantic conventions' split of a pool's threads: those running a task, and the
	 * others. A pool without a size to read (one thread per task) has no idle threads to
	 * report.
	 */
	private static void threadCount(String name, PoolGauges pool, Rows.Builder rows) {
		double active = read(pool, ThreadLensMeters.EXECUTOR_ACTIVE);
		if (Double.isNaN(active)) {
			return;
		}
		rows.add(active, name, "active");
		double size = read(pool, ThreadLensMeters.EXECUTOR_POOL_SIZE);
		if (!Double.isNaN(size)) {
			rows.add(Math.max(0, size - active), name, "idle");
		}
	}

	private static double read(PoolGauges pool, MeterDefinition definition) {
		DoubleSupplier value = pool.values().get(definition);
		return (value != null) ? value.getAsDouble() : Double.NaN;
	}

	private static Rows rows(Map<String, PoolGauges> pools, PoolRows poolRows) {
		Rows.Builder rows = Rows.builder();
		pools.forEach((name, pool) -> {
			if (pool.terminated().getAsBoolean()) {
				// Its series go away rather than report its last state forever, and the
				// pool is not kept alive by ThreadLens.
				pools.remove(name, pool);
			}
			else {
				poolRows.add(name, pool, rows);
			}
		});
		return rows.build();
	}

	@FunctionalInterface
	private interface PoolRows {

		void add(String name, PoolGauges pool, Rows.Builder rows);

	}

}
