package io.github.threadlens.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.executor.reactor.ReactorSchedulerInstrumentation;
import io.github.threadlens.export.micrometer.MicrometerTimerSink;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The cost per task of timing a Reactor scheduler, measured two ways. {@code scheduleAndRun}:
 * on a real scheduler, the benchmark thread schedules {@link #TASKS} empty tasks on a
 * {@code Schedulers.newSingle} scheduler and waits for the last to run, so a task costs
 * Reactor's {@code schedule}, the pool's queue and the hand-off to its thread, amortised over
 * the batch, with the recordings on the scheduler's thread. {@code scheduleInCaller}: a
 * {@code Schedulers.fromExecutorService} scheduler over an executor that runs each task in the
 * caller, so that what is measured is what the hook adds and no hand-off drowns it. Each
 * variant runs in a JVM of its own (one fork per method and variant), since both of Reactor's
 * hooks are JVM-wide:
 * <ul>
 * <li>{@code reactor}: Reactor alone, the anchor;
 * <li>{@code threadLensDecorator}: ThreadLens's executor-service decorator, recording queue
 * wait and run time into a Prometheus registry with ThreadLens's buckets;
 * <li>{@code scheduleHookRunTime}: the alternative, a {@code Schedulers.onScheduleHook} that
 * wraps each task and records its run time only (a schedule hook cannot see the queue), into
 * a Micrometer timer with the same buckets.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ReactorSchedulerBenchmark {

	/** Tasks per invocation. */
	static final int TASKS = 1000;

	private static final String HOOK_KEY = "bench";

	@Param({ "reactor", "threadLensDecorator", "scheduleHookRunTime" })
	public String variant;

	private Scheduler scheduler;

	private Scheduler inCaller;

	private ReactorSchedulerInstrumentation instrumentation;

	private final Runnable task = () -> {
	};

	@Setup(Level.Trial)
	public void setUp() {
		PrometheusMeterRegistry registry = ExecutorOverheadBenchmark.registryWithBuckets();
		if ("threadLensDecorator".equals(this.variant)) {
			ExecutorMonitors monitors = new ExecutorMonitors(
					new TimerSinks(List.of(new MicrometerTimerSink(registry))), new ThreadAttribution(),
					ExecutorOverheadBenchmark.BUCKETS);
			this.instrumentation = new ReactorSchedulerInstrumentation(monitors,
					new ExecutorNameFilter(List.of("*"), List.of()));
			this.instrumentation.start();
		}
		else if ("scheduleHookRunTime".equals(this.variant)) {
			Timer timer = Timer.builder("executor").tag("name", "bench").register(registry);
			Function<Runnable, Runnable> hook = (runnable) -> () -> {
				long start = System.nanoTime();
				try {
					runnable.run();
				}
				finally {
					timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
				}
			};
			Schedulers.onScheduleHook(HOOK_KEY, hook);
		}
		else if (!"reactor".equals(this.variant)) {
			throw new IllegalArgumentException("Unknown variant " + this.variant);
		}
		this.scheduler = Schedulers.newSingle("bench");
		this.inCaller = Schedulers.fromExecutorService(new ExecutorOverheadBenchmark.CallerRunsExecutorService(),
				"bench-caller");
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.scheduler.dispose();
		this.inCaller.dispose();
		Schedulers.resetOnScheduleHook(HOOK_KEY);
		if (this.instrumentation != null) {
			this.instrumentation.close();
		}
	}

	@Benchmark
	@OperationsPerInvocation(TASKS)
	public void scheduleAndRun() throws InterruptedException {
		for (int i = 1; i < TASKS; i++) {
			this.scheduler.schedule(this.task);
		}
		CountDownLatch last = new CountDownLatch(1);
		this.scheduler.schedule(last::countDown);
		last.await();
	}

	@Benchmark
	public void scheduleInCaller() {
		this.inCaller.schedule(this.task);
	}

}
