package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import io.github.threadlens.catalog.BlockingReason;
import io.github.threadlens.catalog.MembershipChanges;
import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.ThreadRoster;
import org.jspecify.annotations.Nullable;

/**
 * Samples why threads wait, in the background, within a CPU budget and a pause budget.
 * <p>
 * Each pass reads every live platform thread's state and lock without its stack
 * ({@link LockSnapshots}, which does not stop the application), and reads stacks only for the
 * threads that need one: a waiting thread (or one RUNNABLE in native code) whose state or lock
 * changed since its stack was last read, a thread whose stack was never read, and a rotating
 * share of the others so that stack depths stay current. A BLOCKED thread waits for a monitor
 * and a RUNNABLE thread in Java code runs, whatever their stacks. How stacks are read depends
 * on the JDK ({@link StackReads}): on JDK 21+ without stopping the application, before that in
 * slices held to the pause budget. A pass reads stacks for at most its share of the CPU
 * budget (the interval times the budget), so on a JVM of many threads the first stacks of all
 * of them take several passes.
 * <p>
 * A waiting thread's reason is that of its latest stack read if it was taken in the thread's
 * present state and lock, and the thread is left out of {@code jvm.threads.blocking} until
 * then: every reason counted is a count of threads at the time of the pass. Its depth is that
 * of its latest stack read, however old; a thread whose stack was never read is left out of
 * {@code jvm.threads.stack.depth}.
 * <p>
 * The next pass comes after the configured interval, or later when the pass's cost divided
 * by the CPU budget is longer; the cost is the sampler thread's own CPU time plus the time
 * the application was stopped, which the VM thread spends walking stacks. Results are kept
 * until the next pass; their age, the pass's duration and its longest stop are meters. A pass
 * that fails is logged once and leaves the previous results.
 */
public final class BlockingSampler implements AutoCloseable {

	/** Stack depths refreshed per pass, as a share of the live threads whose stack is known. */
	private static final int ROTATION_DIVISOR = 20;

	private final ThreadMXBean threads;

	private final ThreadRoster roster;

	private final LockSnapshots snapshots;

	private final Supplier<Set<String>> publishedPools;

	private final Supplier<Set<String>> retainedPools;

	private final ReasonClassifier classifier = new ReasonClassifier();

	private final List<Integer> depthBuckets;

	private final List<String> depthLabels;

	private final long intervalNanos;

	private final double cpuBudget;

	private final long passBudgetNanos;

	private final StackReads stacks;

	private final LongSupplier nanoTime;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	// Confined to the pass, which runs on one thread at a time.
	private final ContentionTime contention = new ContentionTime();

	// Confined to the pass: what each thread's latest stack read showed, by thread id.
	private final Map<Long, StackReading> readings = new HashMap<>();

	private long pass;

	private ScheduledExecutorService scheduler;

	private volatile Result result;

	private final CollectorFailures failures;

	/**
	 * Create a sampler whose time counters keep only the pools published at each pass.
	 * @param threads the thread MXBean
	 * @param roster the threads and their pools
	 * @param snapshots reads of every thread's state and lock, shared with deadlock detection
	 * @param publishedPools the pools published under their own name (the rest fold into
	 * {@code other}, as in {@code jvm.threads.pool.states})
	 * @param settings the sampler's settings
	 * @param nanoTime a monotonic nanosecond ticker
	 * @param failures where a failed pass is counted
	 */
	public BlockingSampler(ThreadMXBean threads, ThreadRoster roster, LockSnapshots snapshots,
			Supplier<Set<String>> publishedPools, Settings settings, LongSupplier nanoTime,
			CollectorFailures failures) {
		this(threads, roster, snapshots, publishedPools, publishedPools, settings, nanoTime, failures);
	}

	/**
	 * Create a sampler.
	 * @param threads the thread MXBean
	 * @param roster the threads and their pools
	 * @param snapshots reads of every thread's state and lock, shared with deadlock detection
	 * @param publishedPools the pools published under their own name (the rest fold into
	 * {@code other}, as in {@code jvm.threads.pool.states}), which the gauges carry
	 * @param retainedPools the pools the time counters carry: the published ones and those in
	 * their grace period
	 * @param settings the sampler's settings
	 * @param nanoTime a monotonic nanosecond ticker
	 * @param failures where a failed pass is counted
	 */
	public BlockingSampler(ThreadMXBean threads, ThreadRoster roster, LockSnapshots snapshots,
			Supplier<Set<String>> publishedPools, Supplier<Set<String>> retainedPools, Settings settings,
			LongSupplier nanoTime, CollectorFailures failures) {
		this(threads, roster, snapshots, publishedPools, retainedPools, settings, nanoTime, failures,
				StackReads.forThisJvm(threads, settings.maxDepth(), settings.maxPause().toNanos(), nanoTime));
	}

	BlockingSampler(ThreadMXBean threads, ThreadRoster roster, LockSnapshots snapshots,
			Supplier<Set<String>> publishedPools, Supplier<Set<String>> retainedPools, Settings settings,
			LongSupplier nanoTime, CollectorFailures failures, StackReads stacks) {
		this.threads = threads;
		this.roster = roster;
		this.snapshots = snapshots;
		this.publishedPools = publishedPools;
		this.retainedPools = retainedPools;
		this.depthBuckets = List.copyOf(settings.depthBuckets());
		this.depthLabels = depthLabels(this.depthBuckets);
		this.intervalNanos = settings.interval().toNanos();
		this.cpuBudget = settings.cpuBudget();
		this.passBudgetNanos = (long) (this.intervalNanos * this.cpuBudget);
		this.stacks = stacks;
		this.nanoTime = nanoTime;
		this.failures = failures;
	}

	/**
	 * Start sampling on a daemon thread of its own; the first pass runs now.
	 */
	public synchronized void start() {
		if (this.scheduler == null) {
			ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "threadlens-sampler");
				thread.setDaemon(true);
				return thread;
			});
			this.scheduler = started;
			started.execute(() -> passAndReschedule(started));
		}
	}

	private void passAndReschedule(ScheduledExecutorService on) {
		long cpuBefore = cpuTime();
		long paused = sample();
		long cost = cpuTime() - cpuBefore + paused;
		synchronized (this) {
			// Not after a close, nor onto the scheduler of a later start.
			if (this.scheduler == on) {
				on.schedule(() -> passAndReschedule(on), nextDelayNanos(cost), TimeUnit.NANOSECONDS);
			}
		}
	}

	/**
	 * The delay before the next pass: the interval, stretched so that the sampler's cost
	 * stays within its budget.
	 * @param passCostNanos what the last pass cost: the sampler's CPU time and the time the
	 * application was stopped
	 * @return the delay in nanoseconds
	 */
	long nextDelayNanos(long passCostNanos) {
		return Math.max(this.intervalNanos, (long) (passCostNanos / this.cpuBudget));
	}

	private long cpuTime() {
		return this.threads.isCurrentThreadCpuTimeSupported() ? this.threads.getCurrentThreadCpuTime() : 0;
	}

	/**
	 * Take one pass now.
	 * @return how long the pass's stack reads stopped the application, in nanoseconds
	 */
	public synchronized long sample() {
		long started = this.nanoTime.getAsLong();
		this.pass++;
		try {
			List<Thread> live = new ArrayList<>();
			List<String> pools = new ArrayList<>();
			this.roster.forEach((thread, pool) -> {
				live.add(thread);
				pools.add(pool);
				return true;
			});
			ThreadInfo[] infos = this.snapshots.read(live.stream().mapToLong(Thread::getId).toArray());
			StackReads.Stops stops = readStacks(infos, live);
			Set<String> published = this.publishedPools.get();
			Set<String> retained = this.retainedPools.get();
			Map<List<String>, Integer> blocking = new HashMap<>();
			Map<List<String>, Integer> depths = new HashMap<>();
			Map<Long, StackReading> known = new HashMap<>();
			for (int i = 0; i < infos.length; i++) {
				ThreadInfo info = infos[i];
				if (info == null) {
					// Ended since the roster was read.
					continue;
				}
				this.contention.add(info, retained.contains(pools.get(i)) ? pools.get(i) : ThreadLensMeters.OTHER);
				String pool = published.contains(pools.get(i)) ? pools.get(i) : ThreadLensMeters.OTHER;
				StackReading reading = this.readings.get(info.getThreadId());
				if (reading != null) {
					known.put(info.getThreadId(), reading);
					depths.merge(List.of(pool, depthLabel(reading.depth())), 1, Integer::sum);
				}
				BlockingReason reason = reasonOf(info, reading);
				if (reason != null) {
					blocking.merge(List.of(pool, reason.tagValue()), 1, Integer::sum);
				}
			}
			this.readings.keySet().retainAll(known.keySet());
			this.contention.endPass(retained);
			long ended = this.nanoTime.getAsLong();
			this.result = new Result(rows(blocking), rows(depths), this.contention.blocked(),
					this.contention.waited(), ended - started, stops.longest(), ended);
			this.listeners.forEach(Runnable::run);
			return stops.total();
		}
		catch (RuntimeException ex) {
			this.failures.failed("sampler", "Blocking sampler pass failed; jvm.threads.blocking keeps its last values",
					ex);
			return 0;
		}
	}

	/**
	 * The reason a thread waits: from its state alone where that says it, else from its
	 * latest stack read when that was taken in the same state and lock; {@code null} for a
	 * thread that runs and for one whose stack is not known in its present state.
	 */
	private @Nullable BlockingReason reasonOf(ThreadInfo info, @Nullable StackReading reading) {
		if (info.getThreadState() == Thread.State.BLOCKED) {
			return BlockingReason.MONITOR;
		}
		return (reasonFromStack(info) && readInPresentState(info, reading)) ? reading.reason() : null;
	}

	/**
	 * Read the stacks of the threads that need it, within the pass's share of the CPU budget:
	 * first those whose stack was never read or whose state or lock changed, then the rotating
	 * share of the others, least recently read first.
	 * @return the stops the reads caused
	 */
	private StackReads.Stops readStacks(ThreadInfo[] infos, List<Thread> live) {
		Map<Long, ThreadInfo> byId = new HashMap<>();
		for (ThreadInfo info : infos) {
			if (info != null) {
				byId.put(info.getThreadId(), info);
			}
		}
		List<Thread> changed = new ArrayList<>();
		List<Thread> unchanged = new ArrayList<>();
		for (Thread thread : live) {
			ThreadInfo info = byId.get(thread.getId());
			if (info == null) {
				continue;
			}
			StackReading reading = this.readings.get(info.getThreadId());
			if (reading == null || (reasonFromStack(info) && !readInPresentState(info, reading))) {
				changed.add(thread);
			}
			else {
				unchanged.add(thread);
			}
		}
		unchanged.sort(Comparator.comparingLong((Thread thread) -> this.readings.get(thread.getId()).pass()));
		List<Thread> toRead = new ArrayList<>(changed);
		int rotation = Math.min(unchanged.size(), divideRoundingUp(infos.length, ROTATION_DIVISOR));
		toRead.addAll(unchanged.subList(0, rotation));
		return this.stacks.read(toRead, infos.length, this.passBudgetNanos, (id, stack) -> {
			ThreadInfo info = byId.get(id);
			this.readings.put(id, new StackReading(signature(info),
					this.classifier.classify(info.getThreadState(), stack), stack.length, this.pass));
		});
	}

	/** Whether a thread's reason comes from its stack rather than from its state alone. */
	private static boolean reasonFromStack(ThreadInfo info) {
		return info.getThreadState() != Thread.State.BLOCKED
				&& (info.getThreadState() != Thread.State.RUNNABLE || info.isInNative());
	}

	/** Whether a thread's latest stack read was taken in the state and lock it has now. */
	private static boolean readInPresentState(ThreadInfo info, @Nullable StackReading reading) {
		return reading != null && reading.signature().equals(signature(info));
	}

	/** What a stack read depends on: the state, the lock (by identity) and being in native code. */
	private static String signature(ThreadInfo info) {
		return info.getThreadState() + "|" + info.getLockName() + "|" + info.isInNative();
	}

	private static int divideRoundingUp(int dividend, int divisor) {
		return (dividend + divisor - 1) / divisor;
	}

	private String depthLabel(int depth) {
		for (int i = 0; i < this.depthBuckets.size(); i++) {
			if (depth <= this.depthBuckets.get(i)) {
				return this.depthLabels.get(i);
			}
		}
		return this.depthLabels.get(this.depthLabels.size() - 1);
	}

	private static List<String> depthLabels(List<Integer> buckets) {
		List<String> labels = new ArrayList<>();
		int lower = 0;
		for (int bucket : buckets) {
			labels.add(lower + "-" + bucket);
			lower = bucket + 1;
		}
		labels.add(lower + "+");
		return labels;
	}

	private static Rows rows(Map<List<String>, Integer> counts) {
		Rows.Builder rows = Rows.builder();
		counts.forEach((key, count) -> rows.add(count, key.toArray(String[]::new)));
		return rows.build();
	}

	/**
	 * The sampler family: reasons, stack depths, time spent blocked and waiting, and the
	 * sampler's own duration and age.
	 * @return the family
	 */
	public ObservedMeters meters() {
		MembershipChanges changes = (listener) -> {
			this.listeners.add(listener);
			return () -> this.listeners.remove(listener);
		};
		return new ObservedMeters("blocking", true, List.of(
				new ObservedMeter(ThreadLensMeters.THREADS_BLOCKING, () -> resultOr(Result::blocking)),
				new ObservedMeter(ThreadLensMeters.THREADS_STACK_DEPTH, () -> resultOr(Result::depths)),
				new ObservedMeter(ThreadLensMeters.THREADS_BLOCKED_TIME, () -> resultOr(Result::blockedTime)),
				new ObservedMeter(ThreadLensMeters.THREADS_WAITED_TIME, () -> resultOr(Result::waitedTime)),
				new ObservedMeter(ThreadLensMeters.SAMPLER_DURATION,
						() -> resultOr((result) -> Rows.of(result.durationNanos() / 1e9))),
				new ObservedMeter(ThreadLensMeters.SAMPLER_PAUSE,
						() -> resultOr((result) -> Rows.of(result.longestStopNanos() / 1e9))),
				new ObservedMeter(ThreadLensMeters.SAMPLER_AGE,
						() -> resultOr((result) -> Rows.of((this.nanoTime.getAsLong() - result.endedAt()) / 1e9)))),
				changes);
	}

	private Rows resultOr(Function<Result, Rows> rows) {
		Result current = this.result;
		return (current != null) ? rows.apply(current) : Rows.empty();
	}

	/**
	 * Stop sampling; {@link #start()} starts again. The last results stay published.
	 */
	@Override
	public synchronized void close() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	private record Result(Rows blocking, Rows depths, Rows blockedTime, Rows waitedTime, long durationNanos,
			long longestStopNanos, long endedAt) {

	}

	/**
	 * What a thread's latest stack read showed.
	 *
	 * @param signature its state and lock then
	 * @param reason why it waited then, {@code null} when it ran
	 * @param depth its stack depth, up to the frames read
	 * @param pass the pass that read it
	 */
	private record StackReading(String signature, @Nullable BlockingReason reason, int depth, long pass) {

	}

	/**
	 * How a sampler samples.
	 *
	 * @param interval the shortest time between passes
	 * @param cpuBudget the share of one core the sampler may cost, e.g. 0.01
	 * @param maxPause the longest a stack read may stop the application
	 * @param maxDepth the most frames read per thread
	 * @param depthBuckets upper bounds of the stack depth ranges, strictly increasing
	 */
	public record Settings(Duration interval, double cpuBudget, Duration maxPause, int maxDepth,
			List<Integer> depthBuckets) {

		public Settings {
			depthBuckets = List.copyOf(depthBuckets);
		}

	}

}
