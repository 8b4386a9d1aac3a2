package io.github.threadlens.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.CensusMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.export.otel.OtelCatalogPublisher;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.prometheus.PrometheusMetricReader;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same census catalog ({@code jvm.threads.*} and {@code jvm.threads.pool.states} over 50
 * pools) collected through each of ThreadLens's two export paths, at 10,000 threads, from one
 * shared census as in an application that publishes on both.
 * <ul>
 * <li>Micrometer: {@link CensusJvmThreadMetrics} and {@link ObservedMeterBinder} on a
 * {@link PrometheusMeterRegistry}. Collection is its Prometheus registry's
 * {@code scrape()}, the {@link MetricSnapshots} without text; the scrape is
 * {@link PrometheusMeterRegistry#scrape()}, what {@code /actuator/prometheus} writes.</li>
 * <li>OpenTelemetry: {@link OtelCatalogPublisher} on an {@link SdkMeterProvider}. Collection
 * is an {@link InMemoryMetricReader}'s {@code collectAllMetrics()}, the SDK's
 * {@link MetricData} as any exporter receives it; the scrape is OTel's own
 * {@link PrometheusMetricReader} (as its Prometheus HTTP server reads it, with its default
 * scope labels and {@code target_info}) written by the same text writer Micrometer uses.</li>
 * </ul>
 * Each pair runs with a fresh census per invocation (a scrape every 15 s) and, to show what
 * the sinks themselves cost, with the census snapshot reused. The setup fails unless both
 * paths publish the same pool series with the same values, and records each path's data
 * points and each text exposition's bytes and series ({@link SetupResults}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xss256k")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExportPathBenchmark {

	private static final String POOL_STATES = "jvm_threads_pool_states";

	@Param({ "10000" })
	int threads;

	private ParkedThreads parked;

	private final ScrapeClock clock = new ScrapeClock();

	private PrometheusMeterRegistry micrometer;

	private SdkMeterProvider otel;

	private InMemoryMetricReader otelReader;

	private PrometheusMetricReader otelPrometheus;

	// What PrometheusMeterRegistry.scrape() writes with: Prometheus text format 0.0.4.
	private final ExpositionFormatWriter text = ExpositionFormats.init()
		.findWriter(PrometheusTextFormatWriter.CONTENT_TYPE);

	@Setup
	public void setUp() {
		this.parked = new ParkedThreads(this.threads);
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()), Duration.ofSeconds(1),
				this.clock::nanoTime);
		CappedPoolStates poolStates = new CappedPoolStates(census, new PoolCap(64), EnumSet.of(Thread.State.RUNNABLE,
				Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING));
		// The census auto-configuration's two families, published on both paths.
		List<ObservedMeters> families = List.of(CensusMeters.of(census), poolStates.meters());
		this.micrometer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		// The Micrometer sink leaves the JvmThreadMetrics family to the drop-in, as the auto-configuration does.
		new CensusJvmThreadMetrics(census).bindTo(this.micrometer);
		new ObservedMeterBinder(families).bindTo(this.micrometer);
		this.otelReader = InMemoryMetricReader.create();
		this.otelPrometheus = PrometheusMetricReader.create();
		this.otel = SdkMeterProvider.builder()
			.registerMetricReader(this.otelReader)
			.registerMetricReader(this.otelPrometheus)
			.build();
		new OtelCatalogPublisher(this.otel.get(ThreadLensViews.INSTRUMENTATION_SCOPE), families);
		this.clock.nextScrape();
		Map<List<String>, Double> micrometerSeries = poolSeries(this.micrometer.getPrometheusRegistry().scrape());
		Map<List<String>, Double> otelSeries = poolSeries(this.otelReader.collectAllMetrics());
		Map<List<String>, Double> otelPrometheusSeries = poolSeries(this.otelPrometheus.collect());
		if (!micrometerSeries.containsKey(List.of("bench7x", "waiting")) || micrometerSeries.size() < 200) {
			throw new IllegalStateException("Micrometer path lacks the benchmark's pools: " + micrometerSeries.keySet());
		}
		if (!micrometerSeries.equals(otelSeries) || !micrometerSeries.equals(otelPrometheusSeries)) {
			throw new IllegalStateException("Pool series differ: Micrometer " + micrometerSeries + ", OpenTelemetry "
					+ otelSeries + ", OpenTelemetry Prometheus " + otelPrometheusSeries);
		}
		Map<String, Object> sizes = new LinkedHashMap<>();
		sizes.put("micrometerCollectDataPoints", this.micrometer.getPrometheusRegistry()
			.scrape()
			.stream()
			.mapToInt((snapshot) -> snapshot.getDataPoints().size())
			.sum());
		sizes.put("otelCollectPoints", this.otelReader.collectAllMetrics()
			.stream()
			.mapToInt((metric) -> metric.getData().getPoints().size())
			.sum());
		sizes.put("micrometerScrape", SetupResults.exposition(this.micrometer.scrape(), POOL_STATES, "target_info"));
		sizes.put("otelPrometheusScrape", SetupResults.exposition(otelText(), POOL_STATES, "target_info"));
		SetupResults.write(ExportPathBenchmark.class, this.threads, sizes);
	}

	/** The {@code jvm.threads.pool.states} rows of a Prometheus collection, by (pool, state). */
	private static Map<List<String>, Double> poolSeries(MetricSnapshots snapshots) {
		Map<List<String>, Double> series = new HashMap<>();
		for (MetricSnapshot snapshot : snapshots) {
			if (snapshot.getMetadata().getPrometheusName().startsWith(POOL_STATES)) {
				for (DataPointSnapshot point : snapshot.getDataPoints()) {
					series.put(List.of(point.getLabels().get("pool"), point.getLabels().get("state")),
							((GaugeDataPointSnapshot) point).getValue());
				}
			}
		}
		return series;
	}

	/** The {@code jvm.threads.pool.states} points of an OpenTelemetry collection, by (pool, state). */
	private static Map<List<String>, Double> poolSeries(Collection<MetricData> metrics) {
		Map<List<String>, Double> series = new HashMap<>();
		for (MetricData metric : metrics) {
			if (metric.getName().equals(ThreadLensMeters.THREADS_POOL_STATES.name())) {
				metric.getDoubleGaugeData()
					.getPoints()
					.forEach((point) -> series.put(List.of(point.getAttributes().get(AttributeKey.stringKey("pool")),
							point.getAttributes().get(AttributeKey.stringKey("state"))), point.getValue()));
			}
		}
		return series;
	}

	@TearDown
	public void tearDown() throws InterruptedException {
		this.otel.close();
		this.micrometer.close();
		this.parked.close();
	}

	@Benchmark
	public MetricSnapshots micrometerCollect() {
		this.clock.nextScrape();
		return this.micrometer.getPrometheusRegistry().scrape();
	}

	@Benchmark
	public Collection<MetricData> otelCollect() {
		this.clock.nextScrape();
		return this.otelReader.collectAllMetrics();
	}

	@Benchmark
	public MetricSnapshots micrometerCollectCensusReused() {
		return this.micrometer.getPrometheusRegistry().scrape();
	}

	@Benchmark
	public Collection<MetricData> otelCollectCensusReused() {
		return this.otelReader.collectAllMetrics();
	}

	@Benchmark
	public String micrometerScrape() {
		this.clock.nextScrape();
		return this.micrometer.scrape();
	}

	@Benchmark
	public String otelPrometheusScrape() {
		this.clock.nextScrape();
		return otelText();
	}

	private String otelText() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			this.text.write(out, this.otelPrometheus.collect());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

}
