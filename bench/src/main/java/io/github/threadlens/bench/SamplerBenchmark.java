package io.github.threadlens.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.blocking.BlockingSampler;
import io.github.threadlens.blocking.CollectorFailures;
import io.github.threadlens.blocking.ContentionMonitoring;
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
 * How long one blocking sampler pass takes with the default settings (64 frames, depth ranges
 * 8/16/32; {@link SamplerSetup}) over parked threads in 50 pools: reading every thread's state
 * and top frames, classifying and counting, with thread contention monitoring on as ThreadLens
 * turns it on, so that the pass also adds up each thread's blocked and waited time. This is the
 * pass's elapsed time in the calling thread, part of which the VM thread spends walking stacks
 * at a safepoint; what the sampler costs in CPU and pauses on its schedule is measured by
 * {@link SamplerCost}.
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
		this.sampler = new SamplerSetup(Map.of()).newSampler(failures);
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
