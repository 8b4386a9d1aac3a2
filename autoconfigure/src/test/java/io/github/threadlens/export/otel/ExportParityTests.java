package io.github.threadlens.export.otel;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.CensusMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.testsupport.InMemoryOpenTelemetry;
import io.github.threadlens.testsupport.RealThreads;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every catalog entry reports the same values on the Micrometer path and the OpenTelemetry
 * path for the same real threads.
 */
class ExportParityTests {

	private final RealThreads threads = new RealThreads();

	private final InMemoryOpenTelemetry otel = new InMemoryOpenTelemetry();

	@AfterEach
	void close() throws Exception {
		this.threads.close();
		this.otel.close();
	}

	@Test
	void everyCatalogEntryReportsTheSameValuesOnBothPaths() throws Exception {
		this.threads.start("parity-waiting", 6, Thread.State.WAITING);
		this.threads.start("parity-blocked", 3, Thread.State.BLOCKED);
		this.threads.start("parity-sleeping", 4, Thread.State.TIMED_WAITING);
		// A frozen clock: both paths read one census snapshot.
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
				Duration.ofSeconds(1), () -> 0L);
		CappedPoolStates poolStates = new CappedPoolStates(census, new PoolCap(3),
				EnumSet.of(Thread.State.RUNNABLE, Thread.State.BLOCKED, Thread.State.WAITING,
						Thread.State.TIMED_WAITING));
		List<ObservedMeters> families = List.of(CensusMeters.of(census), poolStates.meters());
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		try (CensusJvmThreadMetrics jvm = new CensusJvmThreadMetrics(census);
				ObservedMeterBinder binder = new ObservedMeterBinder(families);
				OtelCatalogPublisher publisher = new OtelCatalogPublisher(this.otel.sdk().getMeter("test"),
						families)) {
			jvm.bindTo(registry);
			binder.bindTo(registry);
			for (MeterDefinition definition : ThreadLensMeters.all()) {
				assertSameOnBothPaths(registry, definition);
			}
			assertThat(micrometer(registry, ThreadLensMeters.THREADS_POOL_STATES))
				.containsEntry("{pool=parity-waiting, state=waiting}", 6.0)
				.containsKey("{pool=other, state=runnable}");
		}
	}

	private void assertSameOnBothPaths(SimpleMeterRegistry registry, MeterDefinition definition) {
		// Peak and started come from the JVM's counters: retry if a JVM thread started
		// between the two reads.
		for (int attempt = 0; attempt < 20; attempt++) {
			Map<String, Double> micrometer = micrometer(registry, definition);
			Map<String, Double> otel = this.otel.collect(definition.name());
			if (micrometer.equals(otel) && micrometer.equals(micrometer(registry, definition))) {
				assertThat(otel).as(definition.name()).isNotEmpty();
				return;
			}
		}
		assertThat(this.otel.collect(definition.name())).as(definition.name())
			.isEqualTo(micrometer(registry, definition));
	}

	private static Map<String, Double> micrometer(SimpleMeterRegistry registry, MeterDefinition definition) {
		Map<String, Double> values = new TreeMap<>();
		for (Meter meter : registry.find(definition.name()).meters()) {
			Map<String, String> tags = new TreeMap<>();
			for (Tag tag : meter.getId().getTags()) {
				tags.put(tag.getKey(), tag.getValue());
			}
			values.put(tags.toString(), meter.measure().iterator().next().getValue());
		}
		return values;
	}

}
