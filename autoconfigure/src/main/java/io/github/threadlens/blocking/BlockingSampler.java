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

import io.github.threadlens.cardinality.PoolCap;
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
 * and a RUNNABLE thread in Java code runs, whatever their stacks. Stacks are read in slices
 * ({@code ThreadMXBean.getThreadInfo(ids, maxDepth)}, a global safepoint whose length grows
 * with the slice): each slice is sized from the last one's time per thread so that it stops
 * the application for at most the pause budget, and slices are spaced out so that the
 * application runs at least nine times as long as the sampler stops it. A thread's reason
 * and depth are those of its latest stack read, which is at most as old as its state and
 * lock: every count is a count of threads at the time of the pass.
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

	private static final int FIRST_SLICE = 64;

	// A stop has a fixed cost (reaching the safepoint, milliseconds at 10,000 threads on a busy
	// machine) that smaller slices cannot cut: below this, slices only multiply the stops.
	private static final int MIN_SLICE = 64;

	private static final int MAX_SLICE = 2048;

	private final ThreadMXBean threads;

	private final ThreadRoster roster;

	private final LockSnapshots snapshots;

	private final Supplier<Set<String>> publishedPools;

	private final Supplier<Set<String>> retainedPools;

	private final ReasonClassifier classifier = new ReasonClassifier();

	private final int maxDepth;

	private final List<Integer> depthBuckets;

	private final List<String> depthLabels;

	private final long intervalNanos;

	private final double cpuBudget;

	private final long maxPauseNanos;

	private final LongSupplier nanoTime;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	// Confined to the pass, which runs on one thread at a time.
	private final ContentionTime contention = new ContentionTime();

	// Confined to the pass: what each thread's latest stack read showed, by thread id.
	private final Map<Long, StackReading> readings = new HashMap<>();

	private int sliceSize = FIRST_SLICE;

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
		this.threads = threads;
		this.roster = roster;
		this.snapshots = snapshots;
		this.publishedPools = publishedPools;
		this.retainedPools = retainedPools;
		this.maxDepth = settings.maxDepth();
		this.depthBuckets = List.copyOf(settings.depthBuckets());
		this.depthLabels = depthLabels(this.depthBuckets);
		this.intervalNanos = settings.interval().toNanos();
		this.cpuBudget = settings.cpuBudget();
		this.maxPauseNanos = settings.maxPause().toNanos();
		this.nanoTime = nanoTime;
		this.failures = failures;
	}

	/**
	 * Start sampling on a daemon thread of its own.
	 */
	public synchronized void start() {
		if (this.scheduler == null) {
			this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
				Thread thread = new Thread(runnable, "threadlens-sampler");
				thread.setDaemon(true);
				return thread;
			});
			this.scheduler.execute(this::passAndReschedule);
		}
	}

	private void passAndReschedule() {
		long cpuBefore = cpuTime();
		long paused = sample();
		long cost = cpuTime() - cpuBefore + paused;
		synchronized (this) {
			if (this.scheduler != null && !this.scheduler.isShutdown()) {
				this.scheduler.schedule(this::passAndReschedule, nextDelayNanos(cost), TimeUnit.NANOSECONDS);
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
			List<Long> ids = new ArrayList<>();
			List<String> pools = new ArrayList<>();
			this.roster.forEach((thread, pool) -> {
				ids.add(thread.getId());
				pools.add(pool);
				return true;
			});
			ThreadInfo[] infos = this.snapshots.read(ids.stream().mapToLong(Long::longValue).toArray());
			Stops stops = readStacks(infos);
			Set<String> published = this.publishedPools.get();
			Set<String> retained = this.retainedPools.get();
			Map<List<String>, Integer> blocking = new HashMap<>();
			Map<List<String>, Integer> depths = new HashMap<>();
			Map<Long, StackReading> live = new HashMap<>();
			for (int i = 0; i < infos.length; i++) {
				ThreadInfo info = infos[i];
				StackReading reading = (info != null) ? this.readings.get(info.getThreadId()) : null;
				if (reading == null) {
					// Ended before its stack could be read.
					continue;
				}
				live.put(info.getThreadId(), reading);
				String pool = published.contains(pools.get(i)) ? pools.get(i) : PoolCap.OTHER;
				BlockingReason reason = reasonOf(info, reading);
				if (reason != null) {
					blocking.merge(List.of(pool, reason.tagValue()), 1, Integer::sum);
				}
				depths.merge(List.of(pool, depthLabel(reading.depth())), 1, Integer::sum);
				this.contention.add(info, retained.contains(pools.get(i)) ? pools.get(i) : PoolCap.OTHER);
			}
			this.readings.keySet().retainAll(live.keySet());
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
	 * latest stack read, which {@link #readStacks} has made as recent as its state and lock.
	 */
	private @Nullable BlockingReason reasonOf(ThreadInfo info, StackReading reading) {
		if (info.getThreadState() == Thread.State.BLOCKED) {
			return BlockingReason.MONITOR;
		}
		if (info.getThreadState() == Thread.State.RUNNABLE && !info.isInNative()) {
			return null;
		}
		return reading.reason();
	}

	/**
	 * Read the stacks of the threads that need it, slice by slice within the pause budget.
	 * @return the stops the reads caused
	 */
	private Stops readStacks(ThreadInfo[] infos) {
		List<Long> changed = new ArrayList<>();
		List<Long> unchanged = new ArrayList<>();
		for (ThreadInfo info : infos) {
			if (info == null) {
				continue;
			}
			StackReading reading = this.readings.get(info.getThreadId());
			boolean reasonFromStack = info.getThreadState() != Thread.State.BLOCKED
					&& (info.getThreadState() != Thread.State.RUNNABLE || info.isInNative());
			if (reading == null || (reasonFromStack && !reading.signature().equals(signature(info)))) {
				changed.add(info.getThreadId());
			}
			else {
				unchanged.add(info.getThreadId());
			}
		}
		unchanged.sort(Comparator.comparingLong((Long id) -> this.readings.get(id).pass()));
		List<Long> toRead = new ArrayList<>(changed);
		int rotation = Math.min(unchanged.size(), divideRoundingUp(infos.length, ROTATION_DIVISOR));
		toRead.addAll(unchanged.subList(0, rotation));
		long longest = 0;
		long total = 0;
		int from = 0;
		long last = 0;
		while (from < toRead.size()) {
			if (from > 0 && !pauseBetweenSlices(last)) {
				// Closed meanwhile: the threads not read yet are left out of this pass.
				break;
			}
			List<Long> slice = toRead.subList(from, Math.min(toRead.size(), from + this.sliceSize));
			from += slice.size();
			long begun = this.nanoTime.getAsLong();
			ThreadInfo[] read = this.threads.getThreadInfo(slice.stream().mapToLong(Long::longValue).toArray(),
					this.maxDepth);
			long stopped = this.nanoTime.getAsLong() - begun;
			last = stopped;
			longest = Math.max(longest, stopped);
			total += stopped;
			this.sliceSize = nextSliceSize(slice.size(), stopped);
			for (ThreadInfo info : read) {
				if (info != null) {
					this.readings.put(info.getThreadId(), new StackReading(signature(info),
							this.classifier.classify(info), info.getStackTrace().length, this.pass));
				}
			}
		}
		return new Stops(longest, total);
	}

	/**
	 * A slice that would stop the application for three quarters of the pause budget at the
	 * last slice's time per thread, so that a slower next slice still stays within it; at
	 * most twice the last one, so that one fast slice of short stacks cannot make the next one
	 * long, and at least half of it, so that one slice slowed by something else (a collection)
	 * does not shrink the next ones to a few threads, each stop paying the safepoint's fixed cost.
	 */
	private int nextSliceSize(int size, long stoppedNanos) {
		long perThread = Math.max(1, stoppedNanos / size);
		long fits = (this.maxPauseNanos * 3 / 4) / perThread;
		long bounded = Math.max(size / 2, Math.min(2L * size, fits));
		return (int) Math.max(MIN_SLICE, Math.min(MAX_SLICE, bounded));
	}

	/**
	 * Let the application run between two stack reads, nine times as long as the last one
	 * stopped it.
	 * @return whether to go on, {@code false} when the sampler was interrupted (closed)
	 */
	private boolean pauseBetweenSlices(long lastStopNanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(Math.max(TimeUnit.MILLISECONDS.toNanos(1), 9 * lastStopNanos));
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
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

	@Override
	public synchronized void close() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
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
	 * The stops a pass's stack reads caused.
	 *
	 * @param longest the longest, in nanoseconds
	 * @param total all of them together, in nanoseconds
	 */
	private record Stops(long longest, long total) {

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
