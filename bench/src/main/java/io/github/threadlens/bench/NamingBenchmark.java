package io.github.threadlens.bench;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
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
 * What a thread's name costs. {@code poolOf}: the pool of one thread named by its length's
 * worst case for the default naming (a long run of separators after the name, then an id), as
 * the census names a thread whose name it has not seen. {@code scrapeRenamed}: the Prometheus
 * scrape of the pool states over 1,000 parked threads in 50 pools plus one thread of that
 * name's length, renamed before every scrape (two names taking turns), so that every scrape
 * names it afresh, as a thread renamed per request makes it. Budget: a name of 1,000 or
 * 100,000 characters within 2x of a 16-character one, for both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xss256k")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class NamingBenchmark {

	private static final int THREADS = 1_000;

	@Param({ "16", "1000", "100000" })
	int nameLength;

	private final PoolNamer namer = new PoolNamer(new ThreadAttribution(), List.of());

	private final Thread unstarted = new Thread("unstarted");

	private final ScrapeClock clock = new ScrapeClock();

	private final CountDownLatch release = new CountDownLatch(1);

	private ParkedThreads parked;

	private Thread renamed;

	private String[] names;

	private int turn;

	private PrometheusMeterRegistry registry;

	@Setup
	public void setUp() {
		this.names = new String[] { name(this.nameLength, '1'), name(this.nameLength, '2') };
		this.parked = new ParkedThreads(THREADS);
		this.renamed = new Thread(() -> {
			try {
				this.release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, this.names[0]);
		this.renamed.setDaemon(true);
		this.renamed.start();
		this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		ThreadCensus census = new ThreadCensus(this.namer, Duration.ofSeconds(1), this.clock::nanoTime);
		CappedPoolStates poolStates = new CappedPoolStates(census, new PoolCap(64),
				EnumSet.of(Thread.State.RUNNABLE, Thread.State.BLOCKED, Thread.State.WAITING, Thread.State.TIMED_WAITING));
		new ObservedMeterBinder(List.of(poolStates.meters())).bindTo(this.registry);
	}

	/**
	 * A name of the given length that makes the default naming read all of it: letters, a run
	 * of separators, and a trailing id.
	 */
	private static String name(int length, char id) {
		String head = "worker";
		return head + "-".repeat(Math.max(0, length - head.length() - 1)) + id;
	}

	@TearDown
	public void tearDown() throws InterruptedException {
		this.release.countDown();
		this.renamed.join();
		this.parked.close();
		this.registry.close();
	}

	@Benchmark
	public String poolOf() {
		return this.namer.poolOf(this.unstarted, this.names[this.turn++ & 1]);
	}

	@Benchmark
	public String scrapeRenamed() {
		this.renamed.setName(this.names[this.turn++ & 1]);
		this.clock.nextScrape();
		return this.registry.scrape();
	}

}
