package io.github.threadlens.export.micrometer;

import java.time.Duration;
import java.util.List;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MicrometerTimerSinkTests {

	private static final List<Duration> BUCKETS = List.of(Duration.ofMillis(1));

	private static final String PARK = ThreadLensMeters.THREAD_PARK.name();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final MicrometerTimerSink sink = new MicrometerTimerSink(this.registry);

	@Test
	void aRemovedSeriesLeavesTheRegistryAndTheOthersStay() {
		this.sink.timer(ThreadLensMeters.THREAD_PARK, List.of("gone", "Lock"), BUCKETS).record(2_000_000);
		this.sink.timer(ThreadLensMeters.THREAD_PARK, List.of("kept", "Lock"), BUCKETS).record(2_000_000);
		this.sink.remove(ThreadLensMeters.THREAD_PARK, List.of("gone", "Lock"));
		this.sink.remove(ThreadLensMeters.THREAD_PARK, List.of("never-created", "Lock"));
		assertThat(this.registry.find(PARK).tag("pool", "gone").timer()).isNull();
		assertThat(this.registry.get(PARK).tag("pool", "kept").timer().count()).isEqualTo(1);
		this.sink.timer(ThreadLensMeters.THREAD_PARK, List.of("gone", "Lock"), BUCKETS).record(2_000_000);
		assertThat(this.registry.get(PARK).tag("pool", "gone").timer().count()).as("a new series").isEqualTo(1);
	}

	@Test
	void closingRemovesEveryTimerItCreated() {
		this.sink.timer(ThreadLensMeters.THREAD_PARK, List.of("a", "Lock"), BUCKETS);
		this.sink.timer(ThreadLensMeters.MONITOR_CONTENTION, List.of("a", "Object"), BUCKETS);
		this.sink.close();
		assertThat(this.registry.getMeters()).isEmpty();
	}

}
