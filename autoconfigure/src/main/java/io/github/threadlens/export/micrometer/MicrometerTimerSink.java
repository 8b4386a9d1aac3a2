package io.github.threadlens.export.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.TimerSink;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * Catalog timers as Micrometer {@link Timer}s whose histogram buckets are the configured
 * boundaries (service level objectives), so that {@code histogram_quantile} works on the
 * scrape and matches the OpenTelemetry path's explicit buckets. A removed series leaves the
 * registry; closing removes every timer it created.
 */
public final class MicrometerTimerSink implements TimerSink, AutoCloseable {

	private final MeterRegistry registry;

	private final OtherMeterBinders others;

	private final Map<Series, Timer> timers = new ConcurrentHashMap<>();

	/**
	 * Create the sink for a registry on which no other binder publishes catalog timers.
	 * @param registry the registry
	 */
	public MicrometerTimerSink(MeterRegistry registry) {
		this(registry, OtherMeterBinders.NONE);
	}

	/**
	 * Create the sink.
	 * @param registry the registry
	 * @param others the binders that already publish some catalog timers on it (Micrometer's
	 * {@code VirtualThreadMetrics} records pinning), whose series this sink leaves to them
	 */
	public MicrometerTimerSink(MeterRegistry registry, OtherMeterBinders others) {
		this.registry = registry;
		this.others = others;
	}

	@Override
	public DurationRecorder timer(MeterDefinition definition, List<String> tagValues, List<Duration> buckets) {
		if (this.others.publish(definition)) {
			return (nanos) -> {
			};
		}
		Tags tags = Tags.empty();
		for (int i = 0; i < tagValues.size(); i++) {
			tags = tags.and(definition.tagKeys().get(i), tagValues.get(i));
		}
		Timer timer = Timer.builder(definition.name())
			.description(definition.description())
			.tags(tags)
			.serviceLevelObjectives(buckets.toArray(Duration[]::new))
			.register(this.registry);
		this.timers.put(new Series(definition, tagValues), timer);
		return (nanos) -> timer.record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void remove(MeterDefinition definition, List<String> tagValues) {
		Timer timer = this.timers.remove(new Series(definition, tagValues));
		if (timer != null) {
			this.registry.remove(timer);
		}
	}

	@Override
	public void close() {
		this.timers.values().forEach(this.registry::remove);
		this.timers.clear();
	}

	private record Series(MeterDefinition definition, List<String> tagValues) {

	}

}
