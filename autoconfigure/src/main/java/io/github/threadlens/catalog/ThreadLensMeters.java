package io.github.threadlens.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The ThreadLens meter catalog: the single source of truth for names, units, descriptions
 * and tag keys. Sinks, rules and the meter tables of {@code docs/meters.md} all refer to these
 * entries.
 * <p>
 * The {@code jvm.threads.*} entries that Micrometer's {@code JvmThreadMetrics} already
 * publishes keep its names, units and descriptions exactly, so existing dashboards keep
 * working when ThreadLens replaces that binder. Which entries another binder publishes on a
 * sink is the sink's to know.
 * <p>
 * On the OpenTelemetry path the entries follow OpenTelemetry's semantic conventions where one
 * exists: {@code jvm.thread.count} with {@code jvm.thread.daemon} and {@code jvm.thread.state}
 * (stable) takes the place of {@code jvm.threads.live}, {@code daemon} and {@code states}; the
 * executor entries follow the {@code jvm.executor.*} proposal (semantic-conventions pull
 * request 3970, in development), whose {@code jvm.executor.thread.count} with
 * {@code jvm.executor.thread.state} takes the place of {@code executor.active} and
 * {@code executor.pool.size}. ThreadLens's own families are named in the same style.
 */
public final class ThreadLensMeters {

	/** Tag key naming the thread pool a series belongs to. */
	public static final String POOL = "pool";

	/** Tag key naming a thread state, in Micrometer's spelling ({@code timed-waiting}). */
	public static final String STATE = "state";

	/** Tag key naming an executor, as Micrometer's executor meters do. */
	public static final String NAME = "name";

	/** Tag key naming why a thread waits. */
	public static final String REASON = "reason";

	/** Tag key naming a range of stack depths. */
	public static final String DEPTH = "depth";

	/** Tag key naming the catalog meter whose tag values were folded. */
	public static final String METER = "meter";

	/** Tag key: a collector whose failures are counted. */
	public static final String COLLECTOR = "collector";

	/** Tag key: the class of the monitor or blocker a thread waited on. */
	public static final String CLASS = "class";

	/** Tag key: whether a virtual thread is mounted on a carrier or queued for one. */
	public static final String SCHEDULING_STATUS = "scheduling.status";

	/**
	 * Tag key of the OpenTelemetry path only: whether a thread is a daemon, {@code true} or
	 * {@code false}.
	 */
	public static final String DAEMON = "daemon";

	/**
	 * Tag key of the OpenTelemetry path only: whether an executor's thread runs a task,
	 * {@code active}, or waits for one, {@code idle}.
	 */
	public static final String EXECUTOR_THREAD_STATE = "executor.thread.state";

	/**
	 * The tag value that takes every pool, or class, beyond its cap: {@value}.
	 */
	public static final String OTHER = "other";

	/** The collectors whose failures {@link #COLLECTOR_FAILURES} counts: its tag's values. */
	public static final List<String> COLLECTORS = List.of("sampler", "contention-monitoring", "jfr", "deadlocks");

	private static final String THREADS = "threads";

	public static final MeterDefinition THREADS_LIVE = MeterDefinition.gauge("jvm.threads.live", THREADS,
			"The current number of live threads including both daemon and non-daemon threads");

	public static final MeterDefinition THREADS_DAEMON = MeterDefinition.gauge("jvm.threads.daemon", THREADS,
			"The current number of live daemon threads");

	public static final MeterDefinition THREADS_PEAK = MeterDefinition.gauge("jvm.threads.peak", THREADS,
			"The peak live thread count since the Java virtual machine started or peak was reset")
		.openTelemetry("jvm.thread.peak");

	public static final MeterDefinition THREADS_STARTED = MeterDefinition.counter("jvm.threads.started", THREADS,
			"The total number of application threads started in the JVM")
		.openTelemetry("jvm.thread.started");

	public static final MeterDefinition THREADS_STATES = MeterDefinition.gauge("jvm.threads.states", THREADS,
			"The current number of threads", STATE);

	public static final MeterDefinition THREAD_COUNT = MeterDefinition.openTelemetryGauge("jvm.thread.count",
			THREADS, "Number of executing platform threads", DAEMON, STATE);

	public static final MeterDefinition THREADS_POOL_STATES = MeterDefinition.gauge("jvm.threads.pool.states",
			THREADS, "The current number of live platform threads per pool and state", POOL, STATE)
		.openTelemetry("jvm.thread_pool.thread.count");

	public static final MeterDefinition THREADS_BLOCKING = MeterDefinition.gauge("jvm.threads.blocking", THREADS,
			"The number of waiting threads per pool and reason they wait for, as of the last sampler pass", POOL,
			REASON)
		.openTelemetry("jvm.thread.blocking.count");

	public static final MeterDefinition THREADS_STACK_DEPTH = MeterDefinition.gauge("jvm.threads.stack.depth",
			THREADS, "The number of threads per pool and range of stack depths, as of the last sampler pass", POOL,
			DEPTH)
		.openTelemetry("jvm.thread.stack_depth.count");

	public static final MeterDefinition THREADS_BLOCKED_TIME = MeterDefinition.counter("jvm.threads.blocked.time",
			"seconds",
			"Total time the pool's threads spent BLOCKED entering a monitor, from thread contention monitoring, added at each sampler pass",
			POOL)
		.openTelemetry("jvm.thread.blocked.time");

	public static final MeterDefinition THREADS_WAITED_TIME = MeterDefinition.counter("jvm.threads.waited.time",
			"seconds",
			"Total time the pool's threads spent WAITING or TIMED_WAITING, from thread contention monitoring, added at each sampler pass",
			POOL)
		.openTelemetry("jvm.thread.waited.time");

	public static final MeterDefinition MONITOR_CONTENTION = MeterDefinition.timer("jvm.threads.monitor.contention",
			"Time threads waited to enter a contended synchronized block, from JFR jdk.JavaMonitorEnter events longer than threadlens.jfr.threshold",
			POOL, CLASS)
		.openTelemetry("jvm.thread.monitor_enter.duration");

	public static final MeterDefinition THREAD_PARK = MeterDefinition.timer("jvm.threads.park",
			"Time threads stayed parked on a lock, condition or queue, idle pool workers included, from JFR jdk.ThreadPark events longer than threadlens.jfr.threshold",
			POOL, CLASS)
		.openTelemetry("jvm.thread.park.duration");

	public static final MeterDefinition SAMPLER_DURATION = MeterDefinition.gauge("threadlens.sampler.duration",
			"seconds", "How long the last blocking sampler pass took")
		.openTelemetry("threadlens.sampler.duration");

	public static final MeterDefinition SAMPLER_PAUSE = MeterDefinition.gauge("threadlens.sampler.pause", "seconds",
			"The longest the last blocking sampler pass stopped the application to read stacks")
		.openTelemetry("threadlens.sampler.pause");

	public static final MeterDefinition SAMPLER_AGE = MeterDefinition.gauge("threadlens.sampler.age", "seconds",
			"Time since the last blocking sampler pass ended")
		.openTelemetry("threadlens.sampler.age");

	public static final MeterDefinition THREADS_DEADLOCKED = MeterDefinition.gauge("jvm.threads.deadlocked", THREADS,
			"The current number of threads that are deadlocked")
		.openTelemetry("jvm.thread.deadlocked.count");

	public static final MeterDefinition THREADS_DEADLOCKED_MONITOR = MeterDefinition.gauge(
			"jvm.threads.deadlocked.monitor", THREADS,
			"The current number of threads that are deadlocked on object monitors")
		.openTelemetry("jvm.thread.deadlocked.monitor.count");

	public static final MeterDefinition THREADS_LEAK_SUSPECTED = MeterDefinition.gauge("jvm.threads.leak.suspected",
			null,
			"1 while a pool's thread count has grown by at least threadlens.leak.min-growth over threadlens.leak.window without falling back, 0 otherwise",
			POOL)
		.openTelemetry("jvm.thread_pool.leak.suspected");

	public static final MeterDefinition EXECUTOR_IDLE = MeterDefinition.timer("executor.idle",
			"Time tasks waited in the executor's queue, from submission to start", NAME)
		.openTelemetry("jvm.executor.task.wait.duration");

	public static final MeterDefinition EXECUTOR = MeterDefinition.timer("executor",
			"Time tasks took to run, from start to end, whether they completed or failed", NAME)
		.openTelemetry("jvm.executor.task.duration");

	public static final MeterDefinition EXECUTOR_FAILED = MeterDefinition.counter("executor.failed", "tasks",
			"Tasks that ran on the executor and failed, @Async methods included", NAME)
		.openTelemetry("jvm.executor.task.failed");

	public static final MeterDefinition EXECUTOR_REJECTED = MeterDefinition.counter("executor.rejected", "tasks",
			"Tasks the executor's rejection policy kept off it: refused, run in the caller, or dropped from the queue to make room",
			NAME)
		.openTelemetry("jvm.executor.task.rejected");

	public static final MeterDefinition EXECUTOR_COMPLETED = MeterDefinition.counter("executor.completed", "tasks",
			"The approximate total number of tasks that have completed execution", NAME)
		.openTelemetry("jvm.executor.task.completed");

	public static final MeterDefinition EXECUTOR_ACTIVE = MeterDefinition.gauge("executor.active", THREADS,
			"The approximate number of threads that are actively executing tasks", NAME);

	public static final MeterDefinition EXECUTOR_THREAD_COUNT = MeterDefinition.openTelemetryGauge(
			"jvm.executor.thread.count", THREADS,
			"The number of the executor's threads that run a task (active) or wait for one (idle)", NAME,
			EXECUTOR_THREAD_STATE);

	public static final MeterDefinition EXECUTOR_QUEUED = MeterDefinition.gauge("executor.queued", "tasks",
			"The approximate number of tasks that are queued for execution", NAME)
		.openTelemetry("jvm.executor.queue.size");

	public static final MeterDefinition EXECUTOR_QUEUE_REMAINING = MeterDefinition.gauge("executor.queue.remaining",
			"tasks", "The number of additional elements that this queue can ideally accept without blocking", NAME)
		.openTelemetry("jvm.executor.queue.remaining");

	public static final MeterDefinition EXECUTOR_POOL_SIZE = MeterDefinition.gauge("executor.pool.size", THREADS,
			"The current number of threads in the pool", NAME);

	public static final MeterDefinition EXECUTOR_POOL_CORE = MeterDefinition.gauge("executor.pool.core", THREADS,
			"The core number of threads for the pool", NAME)
		.openTelemetry("jvm.executor.thread.core");

	public static final MeterDefinition EXECUTOR_POOL_MAX = MeterDefinition.gauge("executor.pool.max", THREADS,
			"The maximum allowed number of threads in the pool", NAME)
		.openTelemetry("jvm.executor.thread.limit");

	public static final MeterDefinition EXECUTOR_RUNNING = MeterDefinition.gauge("executor.running", THREADS,
			"The approximate number of worker threads of a fork-join pool that are not blocked waiting to join tasks or for other managed synchronization",
			NAME)
		.openTelemetry("jvm.executor.thread.running");

	public static final MeterDefinition EXECUTOR_PARALLELISM = MeterDefinition.gauge("executor.parallelism", THREADS,
			"The targeted parallelism level of a fork-join pool", NAME)
		.openTelemetry("jvm.executor.parallelism");

	public static final MeterDefinition EXECUTOR_STEALS = MeterDefinition.counter("executor.steals", "tasks",
			"Estimate of the total number of tasks stolen from one thread's work queue by another in a fork-join pool",
			NAME)
		.openTelemetry("jvm.executor.task.stolen");

	public static final MeterDefinition VIRTUAL_PARALLELISM = MeterDefinition.gauge("jvm.threads.virtual.parallelism",
			null, "Virtual thread scheduler's target parallelism")
		.openTelemetry("jvm.thread.virtual.scheduler.parallelism");

	public static final MeterDefinition VIRTUAL_POOL_SIZE = MeterDefinition.gauge("jvm.threads.virtual.pool.size",
			THREADS,
			"Current number of platform threads that the scheduler has started but have not terminated; -1 if not known.")
		.openTelemetry("jvm.thread.virtual.scheduler.thread.count");

	public static final MeterDefinition VIRTUAL_LIVE = MeterDefinition.gauge("jvm.threads.virtual.live", THREADS,
			"Approximate current number of virtual threads that are unfinished",
			SCHEDULING_STATUS)
		.openTelemetry("jvm.thread.virtual.count");

	public static final MeterDefinition VIRTUAL_PINNED = MeterDefinition.timer("jvm.threads.virtual.pinned",
			"The duration while the virtual thread was pinned without releasing its platform thread")
		.openTelemetry("jvm.thread.virtual.pinned.duration");

	public static final MeterDefinition VIRTUAL_ACTIVE = MeterDefinition.gauge("jvm.threads.virtual.active", THREADS,
			"Live virtual threads started through an instrumented virtual-thread executor, parked ones included",
			NAME)
		.openTelemetry("jvm.executor.virtual_thread.count");

	public static final MeterDefinition COLLECTOR_FAILURES = MeterDefinition.counter("threadlens.collector.failures",
			null, "Failures of a collector reading the JVM; its meter family is absent or stale while it fails",
			COLLECTOR)
		.openTelemetry("threadlens.collector.failures");

	public static final MeterDefinition CARDINALITY_OVERFLOW = MeterDefinition.counter(
			"threadlens.cardinality.overflow", null,
			"Tag values folded into 'other' because a cardinality cap was reached, counted when a value starts being folded",
			METER)
		.openTelemetry("threadlens.cardinality.overflow");

	private static final List<MeterDefinition> ALL = List.of(THREADS_LIVE, THREADS_DAEMON, THREADS_PEAK,
			THREADS_STARTED, THREADS_STATES, THREAD_COUNT, THREADS_POOL_STATES, THREADS_BLOCKING, THREADS_STACK_DEPTH,
			THREADS_BLOCKED_TIME, THREADS_WAITED_TIME, MONITOR_CONTENTION, THREAD_PARK, SAMPLER_DURATION, SAMPLER_PAUSE, SAMPLER_AGE,
			THREADS_DEADLOCKED,
			THREADS_DEADLOCKED_MONITOR, THREADS_LEAK_SUSPECTED,
			EXECUTOR_IDLE, EXECUTOR, EXECUTOR_FAILED,
			EXECUTOR_REJECTED, EXECUTOR_COMPLETED, EXECUTOR_ACTIVE, EXECUTOR_THREAD_COUNT, EXECUTOR_QUEUED, EXECUTOR_QUEUE_REMAINING,
			EXECUTOR_POOL_SIZE, EXECUTOR_POOL_CORE, EXECUTOR_POOL_MAX, EXECUTOR_RUNNING, EXECUTOR_PARALLELISM,
			EXECUTOR_STEALS, VIRTUAL_PARALLELISM, VIRTUAL_POOL_SIZE, VIRTUAL_LIVE, VIRTUAL_PINNED,
			VIRTUAL_ACTIVE, CARDINALITY_OVERFLOW, COLLECTOR_FAILURES);

	/** Each tag key's attribute key on the OpenTelemetry path. */
	private static final Map<String, String> ATTRIBUTES = Map.ofEntries(Map.entry(POOL, "jvm.thread_pool.name"),
			Map.entry(STATE, "jvm.thread.state"), Map.entry(NAME, "jvm.executor.name"),
			Map.entry(REASON, "jvm.thread.blocking.reason"), Map.entry(DEPTH, "jvm.thread.stack_depth.range"),
			Map.entry(METER, "threadlens.meter"), Map.entry(COLLECTOR, "threadlens.collector"),
			Map.entry(CLASS, "jvm.thread.lock.class"),
			Map.entry(SCHEDULING_STATUS, "jvm.thread.virtual.scheduling_status"),
			Map.entry(DAEMON, "jvm.thread.daemon"), Map.entry(EXECUTOR_THREAD_STATE, "jvm.executor.thread.state"));

	private static final String TIMED_WAITING = "timed-waiting";

	private static final String OPEN_TELEMETRY_TIMED_WAITING = "timed_waiting";

	private static final Map<MeterDefinition, OpenTelemetryFold> OPEN_TELEMETRY_FOLDS = Map.of(THREADS_LIVE,
			new OpenTelemetryFold(THREAD_COUNT, Map.of()), THREADS_DAEMON,
			new OpenTelemetryFold(THREAD_COUNT, Map.of(DAEMON, "true")), THREADS_STATES,
			new OpenTelemetryFold(THREAD_COUNT, Map.of()), EXECUTOR_ACTIVE,
			new OpenTelemetryFold(EXECUTOR_THREAD_COUNT, Map.of(EXECUTOR_THREAD_STATE, "active")), EXECUTOR_POOL_SIZE,
			new OpenTelemetryFold(EXECUTOR_THREAD_COUNT, Map.of()));

	private static final Map<String, String> OPEN_TELEMETRY_NAMES = ALL.stream()
		.filter((definition) -> definition.openTelemetryName() != null)
		.collect(Collectors.toUnmodifiableMap(MeterDefinition::name, MeterDefinition::openTelemetryName));

	private ThreadLensMeters() {
	}

	/**
	 * Every catalog entry, in documentation order.
	 * @return the catalog
	 */
	public static List<MeterDefinition> all() {
		return ALL;
	}

	/**
	 * Where the OpenTelemetry path carries an entry that has no instrument there.
	 * @param definition a catalog entry
	 * @return the instrument that carries its series, or empty when the entry has an
	 * instrument of its own on that path or none in its place
	 */
	public static Optional<OpenTelemetryFold> openTelemetryFold(MeterDefinition definition) {
		return Optional.ofNullable(OPEN_TELEMETRY_FOLDS.get(definition));
	}

	/**
	 * The attribute key a tag key has on the OpenTelemetry path.
	 * @param tagKey a tag key of the catalog
	 * @return the attribute key, e.g. {@code jvm.thread.state} for {@code state}
	 */
	public static String openTelemetryAttribute(String tagKey) {
		String attribute = ATTRIBUTES.get(tagKey);
		if (attribute == null) {
			throw new IllegalArgumentException("No OpenTelemetry attribute for tag " + tagKey);
		}
		return attribute;
	}

	/**
	 * Whether a tag's values are booleans, {@code true} or {@code false}, which the
	 * semantic conventions type as such ({@code jvm.thread.daemon}) where other attributes
	 * are strings.
	 * @param tagKey a tag key of the catalog
	 * @return whether its values are booleans
	 */
	public static boolean isBoolean(String tagKey) {
		return tagKey.equals(DAEMON);
	}

	/**
	 * The value a tag value has on the OpenTelemetry path: thread states as the semantic
	 * conventions spell them ({@code timed_waiting}), meters by their OpenTelemetry names,
	 * every other value as it is.
	 * @param tagKey the tag key
	 * @param value the tag value, as the Micrometer path writes it
	 * @return the attribute value
	 */
	public static String openTelemetryValue(String tagKey, String value) {
		if (tagKey.equals(STATE)) {
			// For every row of every collection: the one thread state with a hyphen without a
			// copy (replace returns the value itself when it has none).
			return value.equals(TIMED_WAITING) ? OPEN_TELEMETRY_TIMED_WAITING : value.replace('-', '_');
		}
		if (tagKey.equals(METER)) {
			return OPEN_TELEMETRY_NAMES.getOrDefault(value, value);
		}
		return value;
	}

}
