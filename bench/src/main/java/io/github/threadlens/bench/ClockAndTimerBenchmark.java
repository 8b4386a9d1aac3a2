package io.github.threadlens.bench;

import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The parts an executor wrapper cannot avoid, to read {@link ExecutorOverheadBenchmark}
 * against: one {@code System.nanoTime()} read (a wrapper reads the clock three times per
 * task) and one Micrometer timer recording into a {@link PrometheusMeterRegistry}, as it
 * ships (no histogram) and with ThreadLens's 14 bucket boundaries (a wrapper records two
 * timers per task). The recorded duration is the same every time, 1.5 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClockAndTimerBenchmark {

	private static final long RECORDED = TimeUnit.MICROSECONDS.toNanos(1500);

	private Timer timer;

	private Timer timerWithBuckets;

	@Setup
	public void setUp() {
		this.timer = Timer.builder("bench.timer").register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
		this.timerWithBuckets = Timer.builder("bench.timer")
			.register(ExecutorOverheadBenchmark.registryWithBuckets());
	}

	@Benchmark
	public long nanoTime() {
		return System.nanoTime();
	}

	@Benchmark
	public void micrometerTimerRecord() {
		this.timer.record(RECORDED, TimeUnit.NANOSECONDS);
	}

	@Benchmark
	public void micrometerTimerRecordSameBuckets() {
		this.timerWithBuckets.record(RECORDED, TimeUnit.NANOSECONDS);
	}

}
