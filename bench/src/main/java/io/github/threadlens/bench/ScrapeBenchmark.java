package io.github.threadlens.bench;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
 * The Prometheus scrape that {@code /actuator/prometheus} performs, at 10,000 threads: a
 * registry with the thread meters plain Spring Boot binds (Micrometer's
 * {@link JvmThreadMetrics}) against one with ThreadLens's full census catalog
 * ({@link CensusJvmThreadMetrics} plus per-pool states over 50 pools). It measures the
 * registry's scrape, the part that grows with the thread count, without HTTP noise. The setup
 * records each scrape's bytes and series ({@link SetupResults}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xss256k")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScrapeBenchmark {

	@Param({ "10000" })
	int threads;

	private ParkedThreads parked;

	private final ScrapeClock clock = new ScrapeClock();

	private PrometheusMeterRegistry plainBoot;

	private PrometheusMeterRegistry threadLens;

	@Setup
	public void setUp() {
		this.parked = new ParkedThreads(this.threads);
		this.plainBoot = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		new JvmThreadMetrics().bindTo(this.plainBoot);
		this.threadLens = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()), Duration.ofSeconds(1),
				this.clock::nanoTime);
		new CensusJvmThreadMetrics(census).bindTo(this.threadLens);
		CappedPoolStates poolStates = new CappedPoolStates(census, new PoolCap(64), EnumSet.of(Thread.State.RUNNABLE,
				Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING));
		new ObservedMeterBinder(List.of(poolStates.meters())).bindTo(this.threadLens);
		this.clock.nextScrape();
		if (!this.threadLens.scrape().contains("jvm_threads_pool_states_threads{pool=\"bench7x\"")) {
			throw new IllegalStateException("ThreadLens scrape lacks the benchmark's pools");
		}
		Map<String, Object> sizes = new LinkedHashMap<>();
		sizes.put("plainBootScrape", SetupResults.exposition(this.plainBoot.scrape(), "jvm_threads_"));
		sizes.put("threadLensScrape",
				SetupResults.exposition(this.threadLens.scrape(), "jvm_threads_", "jvm_threads_pool_states"));
		SetupResults.write(ScrapeBenchmark.class, this.threads, sizes);
	}

	@TearDown
	public void tearDown() throws InterruptedException {
		this.parked.close();
	}

	@Benchmark
	public String plainBootScrape() {
		return this.plainBoot.scrape();
	}

	@Benchmark
	public String threadLensScrape() {
		this.clock.nextScrape();
		return this.threadLens.scrape();
	}

}
