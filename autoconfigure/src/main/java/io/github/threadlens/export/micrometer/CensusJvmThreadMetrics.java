package io.github.threadlens.export.micrometer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.shared.SharedRegistrations;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterConvention;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.jvm.convention.JvmThreadMeterConventions;
import io.micrometer.core.instrument.binder.jvm.convention.micrometer.MicrometerJvmThreadMeterConventions;

/**
 * A drop-in replacement for Micrometer's {@link JvmThreadMetrics}: the same meters, names,
 * tags and values, with the thread states read from one shared {@link ThreadCensus}
 * snapshot instead of a full {@code ThreadMXBean.getThreadInfo} pass per state gauge.
 * <p>
 * Live and daemon counts come from the same snapshot, so they always equal the sum of the
 * states; peak and started counts are JVM counters only the MXBean keeps.
 */
public class CensusJvmThreadMetrics extends JvmThreadMetrics implements AutoCloseable {

	private final ThreadCensus census;

	private final JvmThreadMeterConventions conventions;

	private final SharedRegistrations.Holds holds = new SharedRegistrations.Holds();

	public CensusJvmThreadMetrics(ThreadCensus census) {
		this(census, new MicrometerJvmThreadMeterConventions(Tags.empty()));
	}

	public CensusJvmThreadMetrics(ThreadCensus census, JvmThreadMeterConventions conventions) {
		super(Collections.emptyList(), conventions);
		this.census = census;
		this.conventions = conventions;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.holds.add(SharedRegistrations.acquire(registry, JvmThreadMetrics.class.getName(), () -> register(registry)));
	}

	private Runnable register(MeterRegistry registry) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		ThreadCensus census = this.census;
		List<Meter> meters = new ArrayList<>();
		meters.add(gauge(ThreadLensMeters.THREADS_PEAK, threads, ThreadMXBean::getPeakThreadCount).register(registry));
		meters.add(gauge(ThreadLensMeters.THREADS_DAEMON, census, (c) -> c.snapshot().daemon()).register(registry));
		meters.add(gauge(ThreadLensMeters.THREADS_LIVE, census, (c) -> c.snapshot().live()).register(registry));
		MeterDefinition started = ThreadLensMeters.THREADS_STARTED;
		meters.add(FunctionCounter.builder(started.name(), threads, ThreadMXBean::getTotalStartedThreadCount)
			.description(started.description())
			.baseUnit(started.baseUnit())
			.register(registry));
		MeterConvention<Thread.State> stateConvention = this.conventions.threadCountConvention();
		MeterDefinition states = ThreadLensMeters.THREADS_STATES;
		for (Thread.State state : Thread.State.values()) {
			meters.add(Gauge.builder(stateConvention.getName(), census, (c) -> c.snapshot().count(state))
				.tags(stateConvention.getTags(state))
				.description(states.description())
				.baseUnit(states.baseUnit())
				.strongReference(true)
				.register(registry));
		}
		return () -> meters.forEach(registry::remove);
	}

	private static <T> Gauge.Builder<T> gauge(MeterDefinition definition, T source,
			ToDoubleFunction<T> value) {
		return Gauge.builder(definition.name(), source, value)
			.description(definition.description())
			.baseUnit(definition.baseUnit())
			.strongReference(true);
	}

	@Override
	public void close() throws Exception {
		this.holds.close();
	}

}
