package io.github.threadlens.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.executor.ExecutorServiceInstrumentation;
import io.github.threadlens.export.micrometer.MicrometerTimerSink;
import io.github.threadlens.export.otel.OtelTimerSink;
import io.github.threadlens.export.tracing.OpenTelemetryExemplarContext;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.context.support.GenericApplicationContext;

/**
 * The cost a wrapper adds to each task: every executor here runs the task in the
 * submitting thread, so what is measured is submission, wrapping, timing and recording, not
 * a queue hand-off that would drown it. The anchor is Micrometer's
 * {@code TimedExecutorService} (from {@code ExecutorServiceMetrics.monitor}), which records
 * the same two timers; both record into a {@link PrometheusMeterRegistry}. Micrometer's timers
 * have no histogram unless configured, so it is measured twice: as it ships, and with the
 * same bucket boundaries ThreadLens publishes (what P99 in PromQL needs).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ExecutorOverheadBenchmark {

	private final Runnable task = () -> {
	};

	private ExecutorService bare;

	private ExecutorService micrometer;

	private ExecutorService micrometerWithBuckets;

	private ExecutorService threadLens;

	private ExecutorService threadLensBothSinks;

	private ExecutorService threadLensBean;

	private ExecutorService threadLensWithExemplars;

	private GenericApplicationContext context;

	private SdkMeterProvider meterProvider;

	/** The bucket boundaries ThreadLens publishes for its executor timers. */
	static final List<Duration> BUCKETS = List.of(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
			Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
			Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
			Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60));

	@Setup
	public void setUp() {
		List<Duration> buckets = BUCKETS;
		this.bare = new CallerRunsExecutorService();
		this.micrometer = ExecutorServiceMetrics.monitor(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
				new CallerRunsExecutorService(), "micrometer");
		this.micrometerWithBuckets = ExecutorServiceMetrics.monitor(registryWithBuckets(),
				new CallerRunsExecutorService(), "micrometer-buckets");
		MicrometerTimerSink sink = new MicrometerTimerSink(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		this.threadLens = new ExecutorMonitors(new TimerSinks(List.of(sink)), new ThreadAttribution(), buckets)
			.monitor(new CallerRunsExecutorService(), "threadlens");
		this.threadLensWithExemplars = new ExecutorMonitors(new TimerSinks(List.of(sink)), new ThreadAttribution(),
				buckets, new OpenTelemetryExemplarContext())
			.monitor(new CallerRunsExecutorService(), "threadlens-exemplars");
		this.threadLensBean = executorServiceBean(buckets);
		this.meterProvider = SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build();
		OtelTimerSink otel = new OtelTimerSink(this.meterProvider.get("bench"));
		MicrometerTimerSink both = new MicrometerTimerSink(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		this.threadLensBothSinks = new ExecutorMonitors(new TimerSinks(List.of(both, otel)), new ThreadAttribution(),
				buckets)
			.monitor(new CallerRunsExecutorService(), "threadlens-both");
	}

	/**
	 * A Prometheus registry whose timers all have ThreadLens's bucket boundaries.
	 * @return the registry
	 */
	static PrometheusMeterRegistry registryWithBuckets() {
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		registry.config().meterFilter(new MeterFilter() {

			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				return DistributionStatisticConfig.builder()
					.serviceLevelObjectives(BUCKETS.stream().mapToDouble(Duration::toNanos).toArray())
					.build()
					.merge(config);
			}

		});
		return registry;
	}

	/**
	 * An {@code ExecutorService} bean as ThreadLens instruments it in an application: an
	 * interface proxy that routes submissions through the monitored executor.
	 */
	private ExecutorService executorServiceBean(List<Duration> buckets) {
		this.context = new GenericApplicationContext();
		MicrometerTimerSink sink = new MicrometerTimerSink(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		ExecutorMonitors monitors = new ExecutorMonitors(new TimerSinks(List.of(sink)), new ThreadAttribution(),
				buckets);
		this.context.registerBean(ExecutorMonitors.class, () -> monitors);
		this.context.registerBean(ExecutorServiceInstrumentation.class,
				() -> new ExecutorServiceInstrumentation(this.context.getBeanProvider(ExecutorMonitors.class),
						new ExecutorNameFilter(List.of("*"), List.of())));
		this.context.registerBean("threadlensBean", ExecutorService.class, CallerRunsExecutorService::new);
		this.context.refresh();
		return this.context.getBean("threadlensBean", ExecutorService.class);
	}

	@TearDown
	public void tearDown() {
		this.meterProvider.close();
		this.context.close();
	}

	@Benchmark
	public void bareExecutor() {
		this.bare.execute(this.task);
	}

	@Benchmark
	public void micrometerTimedExecutorService() {
		this.micrometer.execute(this.task);
	}

	@Benchmark
	public void micrometerTimedExecutorServiceSameBuckets() {
		this.micrometerWithBuckets.execute(this.task);
	}

	@Benchmark
	public void threadLensMonitoredExecutor() {
		this.threadLens.execute(this.task);
	}

	/**
	 * With tracing on the class path and no span at submission, as for most background
	 * tasks: what looking for the submitter's trace costs.
	 */
	@Benchmark
	public void threadLensMonitoredExecutorExemplarsNoSpan() {
		this.threadLensWithExemplars.execute(this.task);
	}

	@Benchmark
	public void threadLensExecutorServiceBean() {
		this.threadLensBean.execute(this.task);
	}

	@Benchmark
	public void threadLensMonitoredExecutorBothSinks() {
		this.threadLensBothSinks.execute(this.task);
	}

	/**
	 * Runs each task in the submitting thread, so that a benchmark measures only what a
	 * wrapper adds.
	 */
	static final class CallerRunsExecutorService extends AbstractExecutorService {

		private volatile boolean shutdown;

		@Override
		public void execute(Runnable command) {
			command.run();
		}

		@Override
		public void shutdown() {
			this.shutdown = true;
		}

		@Override
		public List<Runnable> shutdownNow() {
			this.shutdown = true;
			return List.of();
		}

		@Override
		public boolean isShutdown() {
			return this.shutdown;
		}

		@Override
		public boolean isTerminated() {
			return this.shutdown;
		}

		@Override
		public boolean awaitTermination(long timeout, TimeUnit unit) {
			return this.shutdown;
		}

	}

}
