package io.github.threadlens.export.micrometer;

import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.RealThreads;
import io.github.threadlens.testsupport.UngroupedThreads;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.jvm.convention.otel.OpenTelemetryJvmThreadMeterConventions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CensusJvmThreadMetricsTests {

	private final RealThreads threads = new RealThreads();

	private final ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
			Duration.ZERO);

	@AfterEach
	void stopThreads() throws Exception {
		this.threads.close();
	}

	@Test
	void registersExactlyMicrometersMeters() throws Exception {
		SimpleMeterRegistry micrometer = new SimpleMeterRegistry();
		new JvmThreadMetrics().bindTo(micrometer);
		SimpleMeterRegistry threadLens = new SimpleMeterRegistry();
		try (CensusJvmThreadMetrics metrics = new CensusJvmThreadMetrics(this.census)) {
			metrics.bindTo(threadLens);
			assertThat(describe(threadLens)).isEqualTo(describe(micrometer)).hasSize(10);
		}
	}

	@Test
	void honoursMeterConventions() throws Exception {
		OpenTelemetryJvmThreadMeterConventions conventions = new OpenTelemetryJvmThreadMeterConventions(Tags.empty());
		SimpleMeterRegistry micrometer = new SimpleMeterRegistry();
		new JvmThreadMetrics(Tags.empty(), conventions).bindTo(micrometer);
		SimpleMeterRegistry threadLens = new SimpleMeterRegistry();
		try (CensusJvmThreadMetrics metrics = new CensusJvmThreadMetrics(this.census, conventions)) {
			metrics.bindTo(threadLens);
			assertThat(describe(threadLens)).isEqualTo(describe(micrometer)).anyMatch((id) -> id.contains("jvm.thread.count"));
		}
	}

	@Test
	void reportsMicrometersValuesForTheSameThreads() throws Exception {
		this.threads.start("same-blocked", 5, Thread.State.BLOCKED);
		this.threads.start("same-waiting", 6, Thread.State.WAITING);
		this.threads.start("same-sleeping", 7, Thread.State.TIMED_WAITING);
		this.threads.start("same-io", 3, Thread.State.RUNNABLE);
		SimpleMeterRegistry micrometer = new SimpleMeterRegistry();
		new JvmThreadMetrics().bindTo(micrometer);
		SimpleMeterRegistry threadLens = new SimpleMeterRegistry();
		try (CensusJvmThreadMetrics metrics = new CensusJvmThreadMetrics(this.census)) {
			metrics.bindTo(threadLens);
			for (int attempt = 0; attempt < 50; attempt++) {
				if (values(threadLens).equals(withoutUngrouped(micrometer))
						&& values(threadLens).equals(withoutUngrouped(micrometer))) {
					assertThat(threadLens.get("jvm.threads.states").tag("state", "blocked").gauge().value())
						.isGreaterThanOrEqualTo(5);
					return;
				}
			}
			throw new AssertionError(
					"Values never agreed: " + values(threadLens) + " vs " + withoutUngrouped(micrometer));
		}
	}

	@Test
	void closingRemovesTheMeters() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		CensusJvmThreadMetrics metrics = new CensusJvmThreadMetrics(this.census);
		metrics.bindTo(registry);
		assertThat(registry.getMeters()).hasSize(10);
		metrics.close();
		assertThat(registry.getMeters()).isEmpty();
	}

	@Test
	void aSharedRegistryKeepsMetersUntilTheLastBinderCloses() throws Exception {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		CensusJvmThreadMetrics first = new CensusJvmThreadMetrics(this.census);
		CensusJvmThreadMetrics second = new CensusJvmThreadMetrics(this.census);
		first.bindTo(registry);
		second.bindTo(registry);
		assertThat(registry.getMeters()).hasSize(10);
		first.close();
		first.close();
		assertThat(registry.getMeters()).hasSize(10);
		second.close();
		assertThat(registry.getMeters()).isEmpty();
	}

	private static Set<String> describe(MeterRegistry registry) {
		return registry.getMeters()
			.stream()
			.map(Meter::getId)
			.map((id) -> id.getType() + " " + id.getName() + id.getTags() + " unit=" + id.getBaseUnit() + " "
					+ id.getDescription())
			.collect(Collectors.toSet());
	}

	/**
	 * Micrometer's values without the threads outside any thread group, which it counts and
	 * the census cannot see ({@link UngroupedThreads}).
	 */
	private static Set<String> withoutUngrouped(MeterRegistry micrometer) {
		Map<String, Double> values = new HashMap<>(valuesByMeter(micrometer));
		for (ThreadInfo info : UngroupedThreads.now()) {
			values.merge("jvm.threads.live[]", -1.0, Double::sum);
			if (info.isDaemon()) {
				values.merge("jvm.threads.daemon[]", -1.0, Double::sum);
			}
			String state = info.getThreadState().name().toLowerCase(Locale.ROOT).replace('_', '-');
			values.merge("jvm.threads.states[tag(state=" + state + ")]", -1.0, Double::sum);
		}
		return values.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.toSet());
	}

	private static Set<String> values(MeterRegistry registry) {
		return valuesByMeter(registry).entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.collect(Collectors.toSet());
	}

	private static Map<String, Double> valuesByMeter(MeterRegistry registry) {
		return registry.getMeters()
			.stream()
			.filter((meter) -> !meter.getId().getName().equals("jvm.threads.peak"))
			.collect(Collectors.toMap((meter) -> meter.getId().getName() + meter.getId().getTags(),
					(meter) -> meter.measure().iterator().next().getValue()));
	}

}
