package io.github.threadlens.export.micrometer;

import java.util.Set;
import java.util.function.BooleanSupplier;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.executor.ExecutorMonitors;

/**
 * The one place the Micrometer sink learns which catalog entries another binder already
 * publishes on the application's {@code MeterRegistry}, so that every meter there has one
 * owner: Micrometer's {@code JvmThreadMetrics} (ThreadLens's census-backed drop-in or Boot's
 * own), Micrometer's {@code VirtualThreadMetrics} (module {@code micrometer-java21}, bound by
 * Boot on JDK 21+), and Boot's metrics of Spring's task executors. Whether each is there is
 * asked when the sink binds or creates a series, once the application's beans exist, never
 * guessed from the class path.
 */
public final class OtherMeterBinders {

	/** No other binder: the sink publishes every entry itself. */
	public static final OtherMeterBinders NONE = new OtherMeterBinders(() -> false, () -> false, () -> false);

	/** Micrometer's {@code JvmThreadMetrics} and nothing else, as most tests bind. */
	public static final OtherMeterBinders JVM_THREAD_METRICS = new OtherMeterBinders(() -> true, () -> false,
			() -> false);

	private static final Set<MeterDefinition> JVM_THREAD_METRICS_ENTRIES = Set.of(ThreadLensMeters.THREADS_LIVE,
			ThreadLensMeters.THREADS_DAEMON, ThreadLensMeters.THREADS_PEAK, ThreadLensMeters.THREADS_STARTED,
			ThreadLensMeters.THREADS_STATES);

	private static final Set<MeterDefinition> VIRTUAL_THREAD_METRICS_ENTRIES = Set.of(
			ThreadLensMeters.VIRTUAL_PARALLELISM, ThreadLensMeters.VIRTUAL_POOL_SIZE, ThreadLensMeters.VIRTUAL_LIVE,
			ThreadLensMeters.VIRTUAL_PINNED);

	private final BooleanSupplier jvmThreadMetrics;

	private final BooleanSupplier virtualThreadMetrics;

	private final BooleanSupplier taskExecutorMetrics;

	/**
	 * Other binders as the application has them.
	 * @param jvmThreadMetrics whether a {@code JvmThreadMetrics} binder is bound
	 * @param virtualThreadMetrics whether Micrometer's {@code VirtualThreadMetrics} is bound
	 * @param taskExecutorMetrics whether Boot binds the pools of Spring's task executors
	 */
	public OtherMeterBinders(BooleanSupplier jvmThreadMetrics, BooleanSupplier virtualThreadMetrics,
			BooleanSupplier taskExecutorMetrics) {
		this.jvmThreadMetrics = jvmThreadMetrics;
		this.virtualThreadMetrics = virtualThreadMetrics;
		this.taskExecutorMetrics = taskExecutorMetrics;
	}

	/**
	 * Whether another binder publishes a catalog entry under the same name, unit and tags.
	 * @param definition the entry
	 * @return whether the sink must leave it alone
	 */
	public boolean publish(MeterDefinition definition) {
		return (JVM_THREAD_METRICS_ENTRIES.contains(definition) && this.jvmThreadMetrics.getAsBoolean())
				|| (VIRTUAL_THREAD_METRICS_ENTRIES.contains(definition) && this.virtualThreadMetrics.getAsBoolean());
	}

	/**
	 * Whether another binder publishes a whole family.
	 * @param family the family
	 * @return whether the sink must leave it alone
	 */
	public boolean publish(ObservedMeters family) {
		return family.family().equals(ExecutorMonitors.SPRING_POOLS) && this.taskExecutorMetrics.getAsBoolean();
	}

}
