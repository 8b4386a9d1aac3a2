package io.github.threadlens.executor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.ExemplarContext;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;

/**
 * Instruments executors: one {@link ExecutorMonitor} per executor name, whose timers record
 * into every sink and whose counters are published as the executor family, beside the
 * gauges of their pools (kept by {@link ExecutorPools}).
 */
public final class ExecutorMonitors {

	/**
	 * The family of the pools of Spring's {@code ThreadPoolTaskExecutor} and
	 * {@code ThreadPoolTaskScheduler} beans, whose gauges Spring Boot's own executor metrics
	 * bind on a {@code MeterRegistry}: a Micrometer sink leaves this family to Boot.
	 */
	public static final String SPRING_POOLS = "spring-executor-pools";

	private static final DurationRecorder NOT_TIMED = (nanos) -> {
	};

	private final TimerSinks timers;

	private final ThreadAttribution attribution;

	private final List<Duration> buckets;

	private final ExemplarContext exemplars;

	private final Map<String, ExecutorMonitor> monitors = new ConcurrentHashMap<>();

	private final ExecutorPools pools = new ExecutorPools();

	private final Map<String, PoolGroup> groups = new ConcurrentHashMap<>();

	/** Weak keys: being instrumented never keeps an executor alive. */
	private final Map<ExecutorService, String> executors = Collections.synchronizedMap(new WeakHashMap<>());

	/**
	 * Create the registry of monitors.
	 * @param timers the sinks' timers
	 * @param attribution where threads made by instrumented executors are attributed
	 * @param buckets the histogram bucket upper bounds of both timers
	 */
	public ExecutorMonitors(TimerSinks timers, ThreadAttribution attribution, List<Duration> buckets) {
		this(timers, attribution, buckets, ExemplarContext.NONE);
	}

	/**
	 * Create the registry of monitors whose recordings carry the submitter's trace.
	 * @param timers the sinks' timers
	 * @param attribution where threads made by instrumented executors are attributed
	 * @param buckets the histogram bucket upper bounds of both timers
	 * @param exemplars how a task's submitter's trace context is carried to its recordings
	 */
	public ExecutorMonitors(TimerSinks timers, ThreadAttribution attribution, List<Duration> buckets,
			ExemplarContext exemplars) {
		this.timers = timers;
		this.attribution = attribution;
		this.buckets = List.copyOf(buckets);
		this.exemplars = exemplars;
	}

	/**
	 * The monitor of an executor, created on first use.
	 * @param name the executor's name
	 * @return its monitor
	 */
	public ExecutorMonitor monitor(String name) {
		return monitor(name, false, false);
	}

	/**
	 * The monitor of an executor that runs each task on a thread of its own
	 * ({@code SimpleAsyncTaskExecutor}, virtual threads), created on first use: with no pool
	 * to ask, the tasks it sees running are published as {@code executor.active}, or for
	 * virtual threads as {@code jvm.threads.virtual.active}, from the first task seen on one
	 * when the caller cannot tell.
	 * @param name the executor's name
	 * @param virtual whether its threads are known to be virtual
	 * @return its monitor
	 */
	public ExecutorMonitor monitorThreadPerTask(String name, boolean virtual) {
		ExecutorMonitor monitor = monitor(name, true, virtual);
		this.pools.publishIfAbsent(name, () -> PoolGauges.threadPerTask(monitor));
		return monitor;
	}

	/**
	 * The monitor of an executor whose tasks cannot be timed but whose failures or
	 * rejections can be counted, such as a web server's own pool: it publishes no timer, so
	 * that no empty histogram reads as an idle executor.
	 * @param name the executor's name
	 * @return its monitor, or the timed one if the executor is timed already
	 */
	public ExecutorMonitor untimed(String name) {
		return monitor(name, (key) -> new ExecutorMonitor(key, NOT_TIMED, NOT_TIMED, false, this.exemplars));
	}

	private ExecutorMonitor monitor(String name, boolean countsRunning, boolean virtual) {
		return monitor(name, (key) -> timed(key, countsRunning, virtual));
	}

	private ExecutorMonitor monitor(String name, Function<String, ExecutorMonitor> create) {
		ExecutorMonitor existing = this.monitors.get(name);
		if (existing != null) {
			return existing;
		}
		ExecutorMonitor monitor = monitorOf(name, create);
		this.pools.changed();
		return monitor;
	}

	private ExecutorMonitor monitorOf(String name, Function<String, ExecutorMonitor> create) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("An executor needs a name to be monitored");
		}
		return this.monitors.computeIfAbsent(name, create);
	}

	private ExecutorMonitor timed(String name, boolean countsRunning, boolean virtual) {
		return new ExecutorMonitor(name, this.timers.timer(ThreadLensMeters.EXECUTOR_IDLE, List.of(name), this.buckets),
				this.timers.timer(ThreadLensMeters.EXECUTOR, List.of(name), this.buckets), countsRunning, virtual,
				this.pools::changed, this.exemplars);
	}

	/**
	 * Instrument an executor service. A {@link ThreadPoolExecutor} also gets its rejections
	 * counted (its own policy still decides what happens), its new threads attributed to the
	 * executor's pool, and its pool gauges published; a {@link ForkJoinPool} gets its pool
	 * gauges published.
	 * @param executor the executor
	 * @param name its name
	 * @return an executor service that times every task submitted through it
	 */
	public ExecutorService monitor(ExecutorService executor, String name) {
		if (executor instanceof MonitoredExecutorService monitored) {
			return monitored;
		}
		ExecutorMonitor monitor = monitorOf(name, (key) -> timed(key, false, false));
		this.executors.put(executor, name);
		if (executor instanceof ThreadPoolExecutor pool) {
			instrument(pool, name);
			this.pools.publish(name, PoolGauges.of(pool));
		}
		else if (executor instanceof ForkJoinPool pool) {
			this.pools.publish(name, PoolGauges.of(pool));
		}
		else {
			this.pools.changed();
		}
		return new MonitoredExecutorService(executor, monitor);
	}

	/**
	 * The names of the executor services instrumented by
	 * {@link #monitor(ExecutorService, String)}, by the name of the thread container each is
	 * in the JDK's thread dump (JDK 21+). A thread-per-task executor, such as
	 * {@code Executors.newVirtualThreadPerTaskExecutor()}, starts its threads in a container
	 * named after it as {@code Object.toString()} names an object that does not override it:
	 * its class and identity hash.
	 * @return the executors' names by container name, a copy
	 */
	public Map<String, String> namesByThreadContainer() {
		Map<String, String> names = new HashMap<>();
		synchronized (this.executors) {
			this.executors.forEach((executor, name) -> names.put(
					executor.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(executor)), name));
		}
		return names;
	}

	/**
	 * Instrument a scheduled executor service that is one of the several making up an
	 * executor, such as one of the pools of a Reactor scheduler: every task submitted through
	 * the returned service is timed under the executor's name, and a pool's gauges are summed
	 * with those of the executor's other live pools. Its rejections are counted as the
	 * returned service sees them thrown, its policy left alone.
	 * @param executor one of the executor's pools
	 * @param name the executor's name
	 * @param maxThreads the executor's bound on its threads, over all its pools, if it has one
	 * @return a scheduled executor service that times every task submitted through it
	 */
	public ScheduledExecutorService monitorPart(ScheduledExecutorService executor, String name,
			OptionalInt maxThreads) {
		if (executor instanceof MonitoredScheduledExecutorService monitored) {
			return monitored;
		}
		ExecutorMonitor monitor = monitorOf(name, (key) -> timed(key, false, false));
		if (executor instanceof ThreadPoolExecutor pool) {
			pool.setThreadFactory(attributing(name, pool.getThreadFactory()));
			PoolGroup group = this.groups.computeIfAbsent(name, (key) -> new PoolGroup(maxThreads));
			group.maxThreads().ifPresent((max) -> this.pools.bounded(name, () -> max));
			// Published again with each pool, since a group all of whose pools ended leaves.
			this.pools.publish(name, group.add(pool));
		}
		else {
			this.pools.changed();
		}
		return new MonitoredScheduledExecutorService(executor, monitor);
	}

	/**
	 * Publish the gauges of a fork-join pool whose tasks cannot be timed, such as
	 * {@link ForkJoinPool#commonPool()}, which no one submits to through a wrapper.
	 * @param pool the pool
	 * @param name its name
	 */
	public void observe(ForkJoinPool pool, String name) {
		observe(PoolGauges.of(pool), name);
	}

	/**
	 * Publish the gauges of a pool of a kind ThreadLens has no built-in reading for, such as
	 * a web server's own pool.
	 * @param gauges what the pool answers
	 * @param name the executor's name
	 */
	public void observe(PoolGauges gauges, String name) {
		this.pools.publish(name, gauges);
	}

	/**
	 * Wrap a pool's thread factory so that the threads it creates count under the
	 * executor's name in the census.
	 * @param name the executor's name
	 * @param factory the factory that creates the threads
	 * @return the attributing factory
	 */
	public ThreadFactory attributing(String name, ThreadFactory factory) {
		return this.attribution.attributing(name, factory);
	}

	/**
	 * Count a pool's rejections, its own policy still deciding what happens to the task, and
	 * attribute the threads it creates from now on to the executor's pool.
	 * @param pool the pool
	 * @param name the executor's name
	 */
	public void instrument(ThreadPoolExecutor pool, String name) {
		if (!(pool.getRejectedExecutionHandler() instanceof CountingRejectionHandler)) {
			// A pool whose tasks are not timed still counts its rejections.
			pool.setRejectedExecutionHandler(
					new CountingRejectionHandler(pool.getRejectedExecutionHandler(), untimed(name)));
		}
		pool.setThreadFactory(attributing(name, pool.getThreadFactory()));
		this.pools.bounded(name, pool::getMaximumPoolSize);
	}

	/**
	 * Instrument the pool of a Spring {@code ThreadPoolTaskExecutor} or
	 * {@code ThreadPoolTaskScheduler} bean as {@link #instrument(ThreadPoolExecutor, String)}
	 * does, and publish its gauges in the {@link #SPRING_POOLS} family, since Spring Boot binds
	 * them on a {@code MeterRegistry} but on no other sink.
	 * @param pool the bean's pool
	 * @param name the bean's name
	 */
	public void instrumentSpringPool(ThreadPoolExecutor pool, String name) {
		instrument(pool, name);
		this.pools.publishSpring(name, PoolGauges.of(pool));
	}

	/**
	 * Record that a pool of a kind ThreadLens has no built-in reading for, such as a web
	 * server's own pool, is bounded, so that it is not taken for a leak when full.
	 * @param name the executor's name, which is also its threads' pool
	 * @param maxThreads the pool's maximum size, read when asked
	 */
	public void bounded(String name, IntSupplier maxThreads) {
		this.pools.bounded(name, maxThreads);
	}

	/**
	 * The maximum size of an instrumented pool, so that a pool full to its bound is not
	 * taken for a leak.
	 * @param name the executor's name, which is also its threads' pool
	 * @return the maximum, or empty when the pool is not known to be bounded
	 */
	public OptionalInt maxThreads(String name) {
		return this.pools.maxThreads(name);
	}

	/**
	 * The executor family's counters.
	 * @return the family
	 */
	public ObservedMeters meters() {
		List<ObservedMeter> meters = new ArrayList<>();
		meters.add(counter(ThreadLensMeters.EXECUTOR_FAILED, ExecutorMonitor::failed));
		meters.add(counter(ThreadLensMeters.EXECUTOR_REJECTED, ExecutorMonitor::rejected));
		meters.addAll(this.pools.gauges());
		return new ObservedMeters("executors", false, meters, this.pools::subscribe);
	}

	/**
	 * The pool gauges of Spring's task executor beans, for the sinks Spring Boot does not
	 * bind them on.
	 * @return the {@link #SPRING_POOLS} family
	 */
	public ObservedMeters springPoolMeters() {
		return new ObservedMeters(SPRING_POOLS, false, this.pools.springGauges(), this.pools::subscribe);
	}

	private ObservedMeter counter(MeterDefinition definition, ToLongFunction<ExecutorMonitor> count) {
		return new ObservedMeter(definition, () -> {
			Rows.Builder rows = Rows.builder();
			this.monitors.forEach((name, monitor) -> rows.add(count.applyAsLong(monitor), name));
			return rows.build();
		});
	}

}
