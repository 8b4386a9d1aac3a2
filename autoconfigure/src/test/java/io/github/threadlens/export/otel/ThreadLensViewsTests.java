package io.github.threadlens.export.otel;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The views on a real SDK meter provider: ThreadLens instruments get limits from its caps,
 * instruments of other scopes keep the SDK's.
 */
class ThreadLensViewsTests {

	private static final AttributeKey<Boolean> OVERFLOW = AttributeKey.booleanKey("otel.metric.overflow");

	private static final String[] STATES = { "new", "runnable", "blocked", "waiting", "timed-waiting", "terminated" };

	private static final int SDK_DEFAULT_LIMIT = 2000;

	private final InMemoryMetricReader reader = InMemoryMetricReader.create();

	@Test
	void aPoolTagOutgrowingItsCapShowsAsTheSdksOverflowSeries() throws Exception {
		// A cap of 2 pools allows 2 named pools and "other", 6 states each: 18 series, and room
		// for the 18 of the collection before.
		try (SdkMeterProvider provider = provider(new SeriesLimits(2, 1, 4));
				OtelCatalogPublisher publisher = poolStates(provider.get(ThreadLensViews.INSTRUMENTATION_SCOPE),
						() -> 0, 7)) {
			List<PointData> points = points(ThreadLensMeters.THREADS_POOL_STATES);
			assertThat(points).hasSize(37);
			assertThat(points).filteredOn((point) -> point.getAttributes().get(OVERFLOW) != null).hasSize(1);
		}
	}

	@Test
	void seriesWithinTheCapsAreAllKeptAsPoolsComeAndGo() throws Exception {
		// Three pools, then three others: each collection within the cap.
		AtomicInteger collections = new AtomicInteger();
		try (SdkMeterProvider provider = provider(new SeriesLimits(2, 1, 4));
				OtelCatalogPublisher publisher = poolStates(provider.get(ThreadLensViews.INSTRUMENTATION_SCOPE),
						() -> 3 * collections.get(), 3)) {
			for (int i = 0; i < 3; i++) {
				assertThat(points(ThreadLensMeters.THREADS_POOL_STATES)).hasSize(18)
					.allSatisfy((point) -> assertThat(point.getAttributes().get(OVERFLOW)).isNull());
				collections.incrementAndGet();
			}
		}
	}

	@Test
	void defaultCapsKeepEveryContentionSeriesThatTheSdkDefaultWouldFold() {
		// 64 published pools, 64 in their grace period and "other", times 32 classes and "other".
		int series = 129 * 33;
		assertThat(series).isGreaterThan(SDK_DEFAULT_LIMIT);
		try (SdkMeterProvider provider = provider(new SeriesLimits(64, 32, 4))) {
			recordContention(provider.get(ThreadLensViews.INSTRUMENTATION_SCOPE), series);
			assertThat(points(ThreadLensMeters.MONITOR_CONTENTION)).hasSize(series)
				.allSatisfy((point) -> assertThat(point.getAttributes().get(OVERFLOW)).isNull());
		}
	}

	@Test
	void instrumentsOfOtherScopesKeepTheSdkDefault() {
		try (SdkMeterProvider provider = provider(new SeriesLimits(64, 32, 4))) {
			recordContention(provider.get("some.other.library"), 129 * 33);
			assertThat(points(ThreadLensMeters.MONITOR_CONTENTION)).hasSize(SDK_DEFAULT_LIMIT);
		}
	}

	@Test
	void executorNamesAreNotCappedSoTheirInstrumentsKeepTheSdkDefault() {
		SeriesLimits limits = new SeriesLimits(64, 32, 4);
		assertThat(limits.maxSeries(ThreadLensMeters.EXECUTOR_IDLE)).isEmpty();
		assertThat(limits.maxSeries(ThreadLensMeters.THREADS_LIVE)).hasValue(1);
		assertThat(limits.maxSeries(ThreadLensMeters.THREADS_STACK_DEPTH)).hasValue(65 * 4);
		assertThat(limits.maxSeries(ThreadLensMeters.THREADS_BLOCKED_TIME))
			.as("a counter keeps the pools in their grace period too")
			.hasValue(129);
	}

	private SdkMeterProvider provider(SeriesLimits limits) {
		SdkMeterProviderBuilder builder = SdkMeterProvider.builder().registerMetricReader(this.reader);
		return new ThreadLensViews(limits).registerOn(builder).build();
	}

	/**
	 * A pool states gauge of {@code pools} pools, numbered from what {@code first} gives at
	 * each collection.
	 */
	private static OtelCatalogPublisher poolStates(Meter meter, IntSupplier first, int pools) {
		return new OtelCatalogPublisher(meter, List.of(new ObservedMeters("test", false,
				List.of(new ObservedMeter(ThreadLensMeters.THREADS_POOL_STATES, () -> {
					Rows.Builder rows = Rows.builder();
					int from = first.getAsInt();
					for (int pool = from; pool < from + pools; pool++) {
						for (String state : STATES) {
							rows.add(1, "pool-" + pool, state);
						}
					}
					return rows.build();
				})))));
	}

	private static void recordContention(Meter meter, int series) {
		OtelTimerSink timers = new OtelTimerSink(meter);
		MeterDefinition contention = ThreadLensMeters.MONITOR_CONTENTION;
		IntStream.range(0, series).forEach((i) -> {
			DurationRecorder recorder = timers.timer(contention, List.of("pool-" + (i / 33), "Class" + (i % 33)),
					List.of(Duration.ofMillis(10)));
			recorder.record(1_000_000);
		});
	}

	private List<PointData> points(MeterDefinition definition) {
		return this.reader.collectAllMetrics()
			.stream()
			.filter((metric) -> metric.getName().equals(definition.openTelemetryName()))
			.map(MetricData::getData)
			.flatMap((data) -> data.getPoints().stream())
			.map(PointData.class::cast)
			.toList();
	}

}
