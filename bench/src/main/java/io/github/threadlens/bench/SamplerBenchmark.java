package io.github.threadlens.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.blocking.BlockingSampler;
import io.github.threadlens.blocking.CollectorFailures;
import io.github.threadlens.blocking.ContentionMonitoring;
import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.census.ThreadRoster;
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
 * One blocking sampler pass with the default settings (64 frames, depth ranges 8/16/32)
 * over parked threads in 50 pools: reading every thread's state and top frames, classifying
 * and counting, with thread contention monitoring on as ThreadLens turns it on, so that the
 * pass also adds up each thread's blocked and waited time. With the default 10 s interval and 1% budget, the sampler's CPU share is this
 * pass's time over 10 s while a pass takes under 100 ms, and the budget itself beyond.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xss256k")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SamplerBenchmark {

	@Param({ "1000", "10000" })
	int threads;

	private ParkedThreads parked;

	private BlockingSampler sampler;

	private ContentionMonitoring contentionMonitoring;

	@Setup
	public void setUp() {
		this.parked = new ParkedThreads(this.threads);
		CollectorFailures failures = new CollectorFailures();
		this.contentionMonitoring = ContentionMonitoring.turnOn(ManagementFactory.getThreadMXBean(), failures);
		PoolNamer namer = new PoolNamer(new ThreadAttribution(), List.of());
		CappedPoolStates poolStates = new CappedPoolStates(new ThreadCensus(namer, Duration.ofSeconds(1)),
				new PoolCap(64), EnumSet.allOf(Thread.State.class));
		this.sampler = new BlockingSampler(ManagementFactory.getThreadMXBean(), new ThreadRoster(namer),
				() -> poolStates.current().pools(), 64, List.of(8, 16, 32), Duration.ofSeconds(10), 0.01,
				System::nanoTime, failures);
	}

	@TearDown
	public void tearDown() throws InterruptedException {
		this.contentionMonitoring.close();
		this.parked.close();
	}

	@Benchmark
	public void samplerPass() {
		this.sampler.sample();
	}

}
