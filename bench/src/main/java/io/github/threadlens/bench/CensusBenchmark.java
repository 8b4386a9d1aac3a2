package io.github.threadlens.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.export.micrometer.CensusJvmThreadMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The six {@code jvm.threads.states} gauges read as one scrape reads them, from Micrometer's
 * {@link JvmThreadMetrics} (the anchor: a full {@code getThreadInfo} pass per gauge) and from
 * ThreadLens's drop-in {@link CensusJvmThreadMetrics}, over the same threads in the same run.
 * Both read real {@link Gauge} objects from a registry. The setup checks that both report the
 * same counts for the benchmark's own threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xss256k")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class CensusBenchmark {

	@Param({ "1000", "10000" })
	int threads;

	private ParkedThreads parked;

	private final ScrapeClock clock = new ScrapeClock();

	private List<Gauge> micrometer;

	private List<Gauge> threadLens;

	@Setup
	public void setUp() {
		this.parked = new ParkedThreads(this.threads);
		this.micrometer = stateGauges(new JvmThreadMetrics());
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()), Duration.ofSeconds(1),
				this.clock::nanoTime);
		this.threadLens = stateGauges(new CensusJvmThreadMetrics(census));
		this.clock.nextScrape();
		for (int i = 0; i < this.micrometer.size(); i++) {
			double expected = this.micrometer.get(i).value();
			double actual = this.threadLens.get(i).value();
			String state = this.micrometer.get(i).getId().getTag("state");
			boolean benchmarkState = state.equals("waiting") || state.equals("timed-waiting");
			if (benchmarkState && Math.abs(expected - actual) > 5) {
				throw new IllegalStateException("Values differ for " + state + ": Micrometer " + expected
						+ ", ThreadLens " + actual);
			}
		}
	}

	private static List<Gauge> stateGauges(JvmThreadMetrics binder) {
		MeterRegistry registry = new SimpleMeterRegistry();
		binder.bindTo(registry);
		return List.copyOf(registry.find("jvm.threads.states").gauges())
			.stream()
			.sorted((a, b) -> a.getId().getTag("state").compareTo(b.getId().getTag("state")))
			.toList();
	}

	@TearDown
	public void tearDown() throws InterruptedException {
		this.parked.close();
	}

	@Benchmark
	public void micrometerJvmThreadMetrics(Blackhole blackhole) {
		read(this.micrometer, blackhole);
	}

	@Benchmark
	public void threadLensCensus(Blackhole blackhole) {
		this.clock.nextScrape();
		read(this.threadLens, blackhole);
	}

	private static void read(List<Gauge> gauges, Blackhole blackhole) {
		for (Gauge gauge : gauges) {
			blackhole.consume(gauge.value());
		}
	}

}
