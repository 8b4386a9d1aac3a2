package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * Samples why threads wait, in the background, within a CPU budget. Each pass reads every
 * live platform thread's state and top frames ({@code ThreadMXBean.getThreadInfo(ids,
 * maxDepth)}), classifies the waiting ones with the {@link ReasonClassifier} and buckets
 * every thread's stack depth, per pool. The next pass comes after the configured interval,
 * or later when the pass's own CPU time divided by the budget is longer: at 1% of one core, a
 * pass that costs 20 ms of CPU is followed by one 2 s later at the earliest.
 * <p>
 * Results are kept until the next pass; their age is itself a meter. A pass that fails is
 * logged once and leaves the previous results.
 */
public final class BlockingSampler implements AutoCloseable {

	private final ThreadMXBean threads;

	private final ThreadRoster roster;

	private final Supplier<Set<String>> publishedPools;

	private final Supplier<Set<String>> retainedPools;

	private final ReasonClassifier classifier = new ReasonClassifier();

	private final int maxDepth;

	private final List<Integer> depthBuckets;

	private final List<String> depthLabels;

	private final long intervalNanos;

	private final double cpuBudget;

	private final LongSupplier nanoTime;

	private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

	// Confined to the pass, which runs on one thread at a time.
	private final ContentionTime contention = new ContentionTime();

	private ScheduledExecutorService scheduler;

	private volatile Result result;

	private final CollectorFailures failures;

	/**
	 * Create a sampler whose time counters keep only the pools published at each pass.
	 * @param threads the thread MXBean
	 * @param roster the threads and their pools
	 * @param publishedPools the pools published under their own name (the rest fold into
	 * {@code other}, as in {@code jvm.threads.pool.states})
	 * @param maxDepth the most frames read per thread
	 * @param depthBuckets upper bounds of the stack depth ranges, strictly increasing
	 * @param interval the shortest time between passes
	 * @param cpuBudget the share of one core the sampler may use, e.g. 0.01
	 * @param nanoTime a monotonic nanosecond ticker
	 * @param failures where a failed pass is counted
	 */
	public BlockingSampler(ThreadMXBean threads, ThreadRoster roster, Supplier<Set<String>> publishedPools,
			int maxDepth, List<Integer> depthBuckets, Duration interval, double cpuBudget, LongSupplier nanoTime,
			CollectorFailures failures) {
		this(threads, roster, publishedPools, publishedPools, maxDepth, depthBuckets, interval, cpuBudget, nanoTime,
				failures);
	}

	/**
	 * Create a sampler.
	 * @param threads the thread MXBean
	 * @param roster the threads and their pools
	 * @param publishedPools the pools published under their own name (the rest fold into
	 * {@code other}, as in {@code jvm.threads.pool.states}), which the gauges carry
	 * @param retainedPools the pools the time counters carry: the published ones and those in
	 * their grace period
	 * @param maxDepth the most frames read per thread
	 * @param depthBuckets upper bounds of the stack depth ranges, strictly increasing
	 * @param interval the shortest time between passes
	 * @param cpuBudget the share of one core the sampler may use, e.g. 0.01
	 * @param nanoTime a monotonic nanosecond ticker
	 * @param failures where a failed pass is counted
	 */
	public BlockingSampler(ThreadMXBean threads, ThreadRoster roster, Supplier<Set<String>> publishedPools,
			Supplier<Set<String>> retainedPools, int maxDepth, List<Integer> depthBuckets, Duration interval,
			double cpuBudget, LongSupplier nanoTime, CollectorFailures failures) {
		this.threads = threads;
		this.roster = roster;
		this.publishedPools = publishedPools;
		this.retainedPools = retainedPools;
		this.maxDepth = maxDepth;
		this.depthBuckets = List.copyOf(depthBuckets);
		this.depthLabels = depthLabels(this.depthBuckets);
		this.intervalNanos = interval.toNanos();
		this.cpuBudget = cpuBudget;
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
		sample();
		long cpu = cpuTime() - cpuBefore;
		synchronized (this) {
			if (this.scheduler != null && !this.scheduler.isShutdown()) {
				this.scheduler.schedule(this::passAndReschedule, nextDelayNanos(cpu), TimeUnit.NANOSECONDS);
			}
		}
	}

	/**
	 * The delay before the next pass: the interval, stretched so that the sampler's CPU stays
	 * within its budget.
	 * @param passCpuNanos the CPU time the last pass used
	 * @return the delay in nanoseconds
	 */
	long nextDelayNanos(long passCpuNanos) {
		return Math.max(this.intervalNanos, (long) (passCpuNanos / this.cpuBudget));
	}

	private long cpuTime() {
		return this.threads.isCurrentThreadCpuTimeSupported() ? this.threads.getCurrentThreadCpuTime() : 0;
	}

	/**
	 * Take one pass now.
	 */
	public synchronized void sample() {
		long started = this.nanoTime.getAsLong();
		try {
			ThreadRoster.Stacks stacks = this.roster.stacks(this.threads, this.maxDepth, (pool) -> true);
			ThreadInfo[] infos = stacks.infos();
			List<String> pools = stacks.pools();
			Set<String> published = this.publishedPools.get();
			Set<String> retained = this.retainedPools.get();
			Map<List<String>, Integer> blocking = new HashMap<>();
			Map<List<String>, Integer> depths = new HashMap<>();
			for (int i = 0; i < infos.length; i++) {
				ThreadInfo info = infos[i];
				if (info == null) {
					continue;
				}
				String pool = published.contains(pools.get(i)) ? pools.get(i) : PoolCap.OTHER;
				BlockingReason reason = this.classifier.classify(info);
				if (reason != null) {
					blocking.merge(List.of(pool, reason.tagValue()), 1, Integer::sum);
				}
				depths.merge(List.of(pool, depthLabel(info.getStackTrace().length)), 1, Integer::sum);
				this.contention.add(info, retained.contains(pools.get(i)) ? pools.get(i) : PoolCap.OTHER);
			}
			this.contention.endPass(retained);
			long ended = this.nanoTime.getAsLong();
			this.result = new Result(rows(blocking), rows(depths), this.contention.blocked(),
					this.contention.waited(), ended - started, ended);
			this.listeners.forEach(Runnable::run);
		}
		catch (RuntimeException ex) {
			this.failures.failed("sampler", "Blocking sampler pass failed; jvm.threads.blocking keeps its last values",
					ex);
		}
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
			long endedAt) {

	}

}
