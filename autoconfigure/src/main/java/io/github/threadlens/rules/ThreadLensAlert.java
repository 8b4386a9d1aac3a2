package io.github.threadlens.rules;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The alerts ThreadLens ships, each written against the catalog's meters and rendered in the
 * names of either export path ({@link PrometheusNaming}), with the defaults that
 * {@code threadlens.alerts.rules.<key>.*} tunes. Summaries and descriptions are written with
 * Micrometer's labels ({@code $labels.pool}), which the naming renames.
 */
public enum ThreadLensAlert {

	/** Threads deadlocked: they never proceed again. */
	DEADLOCK("deadlock", "ThreadLensDeadlock", Unit.THREADS, 0, Duration.ofMinutes(1), "critical",
			(naming) -> "Threads are deadlocked on {{ $labels.instance }}",
			(naming) -> "{{ $value }} threads of {{ $labels.instance }} are deadlocked and will never proceed. "
					+ "The deadlock health indicator (/actuator/health) names each thread, the lock it waits for "
					+ "and its owner; take a thread dump before restarting the instance.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return naming.select(ThreadLensMeters.THREADS_DEADLOCKED, selector);
		}

	},

	/** A bounded pool's threads nearly all busy while its queue grows. */
	POOL_SATURATED("pool-saturated", "ThreadLensExecutorSaturated", Unit.RATIO, 0.9, Duration.ofMinutes(5),
			"warning", (naming) -> "Executor {{ $labels.name }} is saturated on {{ $labels.instance }}",
			(naming) -> "{{ $labels.name }} has {{ $value | humanizePercentage }} of its maximum threads busy and "
					+ "its queue is growing, so tasks wait longer and longer. Raise its maximum pool size, make "
					+ "its tasks "
					+ "faster, or shed load; GET /actuator/threadlens?pool={{ $labels.name }} shows what its "
					+ "threads are doing.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return "(" + naming.select(ThreadLensMeters.EXECUTOR_ACTIVE, selector) + " / "
					+ naming.select(ThreadLensMeters.EXECUTOR_POOL_MAX, selector) + ")";
		}

		@Override
		String expr(PrometheusNaming naming, Selector selector, double threshold) {
			return super.expr(naming, selector, threshold) + " and delta("
					+ naming.select(ThreadLensMeters.EXECUTOR_QUEUED, selector) + "[5m]) > 0";
		}

	},

	/** Tasks wait too long in an executor's queue before a thread takes them. */
	QUEUE_WAIT("queue-wait", "ThreadLensQueueWaitHigh", Unit.SECONDS, 1, Duration.ofMinutes(5), "warning",
			(naming) -> "Tasks of {{ $labels.name }} wait over {{ $value | humanizeDuration }} to start on "
					+ "{{ $labels.instance }}",
			(naming) -> "The 99th percentile of the time tasks of {{ $labels.name }} wait in its queue is "
					+ "{{ $value | humanizeDuration }} over the last 5 minutes. Its threads are all busy: see "
					+ naming.name(ThreadLensMeters.EXECUTOR_ACTIVE) + " and the blocking reasons of its pool ("
					+ naming.name(ThreadLensMeters.THREADS_BLOCKING) + "), then add threads or make its tasks "
					+ "faster.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return "histogram_quantile(0.99, rate("
					+ naming.buckets(ThreadLensMeters.EXECUTOR_IDLE, selector) + "[5m]))";
		}

	},

	/** An executor refuses tasks. */
	REJECTIONS("rejections", "ThreadLensTasksRejected", Unit.PER_SECOND, 0, Duration.ofMinutes(1), "warning",
			(naming) -> "Executor {{ $labels.name }} rejects tasks on {{ $labels.instance }}",
			(naming) -> "{{ $labels.name }} refuses {{ printf \"%.2f\" $value }} tasks per second: its threads "
					+ "and queue are full. Refused work is lost or runs in the caller, depending on the rejection "
					+ "policy. Raise its pool "
					+ "or queue size, or slow the producers.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return "rate(" + naming.select(ThreadLensMeters.EXECUTOR_REJECTED, selector) + "[5m])";
		}

	},

	/** A large share of a pool's threads BLOCKED on monitors. */
	BLOCKED_THREADS("blocked-threads", "ThreadLensThreadsBlocked", Unit.RATIO, 0.5, Duration.ofMinutes(5), "warning",
			(naming) -> "Most threads of pool {{ $labels.pool }} are BLOCKED on {{ $labels.instance }}",
			(naming) -> "{{ $value | humanizePercentage }} of the threads of {{ $labels.pool }} wait to enter a "
					+ "synchronized block. GET /actuator/threadlens?pool={{ $labels.pool }}&state=blocked groups "
					+ "them by the "
					+ "frame they wait at; shorten or remove that critical section.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			String state = naming.label(ThreadLensMeters.STATE);
			return "(sum without (" + state + ") ("
					+ naming.select(ThreadLensMeters.THREADS_POOL_STATES, selector, ThreadLensMeters.STATE, "blocked")
					+ ") / sum without (" + state + ") ("
					+ naming.select(ThreadLensMeters.THREADS_POOL_STATES, selector) + "))";
		}

	},

	/** Threads of a pool wait long to enter synchronized blocks. */
	MONITOR_CONTENTION("monitor-contention", "ThreadLensMonitorContention", Unit.SECONDS, 0.1, Duration.ofMinutes(5),
			"warning",
			(naming) -> "Threads of {{ $labels.pool }} wait {{ $value | humanizeDuration }} to enter synchronized "
					+ "blocks on {{ $labels.instance }}",
			(naming) -> "The 99th percentile of the time threads of {{ $labels.pool }} waited for a contended "
					+ "monitor is {{ $value | humanizeDuration }} over the last 5 minutes (JFR). "
					+ naming.name(ThreadLensMeters.MONITOR_CONTENTION) + " by " + naming.label(ThreadLensMeters.CLASS)
					+ " names the monitor's class; GET /actuator/threadlens?pool={{ $labels.pool }}&state=blocked "
					+ "groups the waiting threads by frame. Shorten the critical section or split the lock.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return "histogram_quantile(0.99, sum without (" + naming.label(ThreadLensMeters.CLASS) + ") (rate("
					+ naming.buckets(ThreadLensMeters.MONITOR_CONTENTION, selector) + "[5m])))";
		}

	},

	/** Virtual threads pinned to their carrier, which then cannot run other virtual threads. */
	VIRTUAL_THREAD_PINNING("virtual-thread-pinning", "ThreadLensVirtualThreadsPinned", Unit.PER_SECOND, 0.1,
			Duration.ofMinutes(5), "warning", (naming) -> "Virtual threads are pinned on {{ $labels.instance }}",
			(naming) -> "{{ printf \"%.2f\" $value }} times per second a virtual thread stayed pinned to its "
					+ "carrier thread (JFR jdk.VirtualThreadPinned), blocking in a synchronized block or native "
					+ "frame: carriers "
					+ "are held and other virtual threads wait. Replace the synchronized block with a "
					+ "ReentrantLock, or move to JDK 24+, where synchronized no longer pins.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return "rate(" + naming.count(ThreadLensMeters.VIRTUAL_PINNED, selector) + "[5m])";
		}

	},

	/** A pool whose thread count keeps growing: threads created and never ended. */
	THREAD_LEAK("thread-leak", "ThreadLensThreadLeak", Unit.COUNT, 0, Duration.ofMinutes(1), "warning",
			(naming) -> "Pool {{ $labels.pool }} is suspected of leaking threads on {{ $labels.instance }}",
			(naming) -> "The thread count of {{ $labels.pool }} kept growing over threadlens.leak.window without "
					+ "falling back. The threadLeak health indicator (/actuator/health) gives its growth and the "
					+ "stack its threads "
					+ "share; GET /actuator/threadlens?pool={{ $labels.pool }} groups them. Threads started per "
					+ "request or executors created and never shut down are the usual cause.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return naming.select(ThreadLensMeters.THREADS_LEAK_SUSPECTED, selector);
		}

	},

	/** More live threads than the application should ever need. */
	LIVE_THREADS("live-threads", "ThreadLensLiveThreadsHigh", Unit.THREADS, 2000, Duration.ofMinutes(10), "warning",
			(naming) -> "{{ $value }} live threads on {{ $labels.instance }}",
			(naming) -> "{{ $labels.instance }} runs {{ $value }} live platform threads. Each costs memory for its "
					+ "stack and time to schedule. " + naming.name(ThreadLensMeters.THREADS_POOL_STATES)
					+ " shows which pool grew; an unbounded pool or a thread created per request is the usual "
					+ "cause.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return naming.select(ThreadLensMeters.THREADS_LIVE, selector);
		}

	},

	/** Pools folded into pool="other" because the cardinality cap was reached. */
	CARDINALITY_OVERFLOW("cardinality-overflow", "ThreadLensCardinalityOverflow", Unit.COUNT, 0,
			Duration.ofMinutes(5), "info",
			(naming) -> "ThreadLens folds pools into " + naming.label(ThreadLensMeters.POOL)
					+ "=\"other\" on {{ $labels.instance }}",
			(naming) -> "More pools than threadlens.cardinality.max-pools exist, so the smallest are reported as "
					+ naming.label(ThreadLensMeters.POOL) + "=\"other\" in {{ $labels.meter }}. Raise the cap, or "
					+ "name pools with threadlens.pools.rules so that per-request or per-id thread names share one "
					+ "pool.") {

		@Override
		String condition(PrometheusNaming naming, Selector selector) {
			return "increase(" + naming.select(ThreadLensMeters.CARDINALITY_OVERFLOW, selector) + "[15m])";
		}

	};

	private final String key;

	private final String alertName;

	private final Unit unit;

	private final double threshold;

	private final Duration forDuration;

	private final String severity;

	private final Function<PrometheusNaming, String> summary;

	private final Function<PrometheusNaming, String> description;

	ThreadLensAlert(String key, String alertName, Unit unit, double threshold, Duration forDuration, String severity,
			Function<PrometheusNaming, String> summary, Function<PrometheusNaming, String> description) {
		this.key = key;
		this.alertName = alertName;
		this.unit = unit;
		this.threshold = threshold;
		this.forDuration = forDuration;
		this.severity = severity;
		this.summary = summary;
		this.description = description;
	}

	/**
	 * The alert's key under {@code threadlens.alerts.rules}.
	 * @return the key, e.g. {@code queue-wait}
	 */
	public String key() {
		return this.key;
	}

	/**
	 * The alert's name in Prometheus.
	 * @return the name, e.g. {@code ThreadLensQueueWaitHigh}
	 */
	public String alertName() {
		return this.alertName;
	}

	/**
	 * What the threshold measures.
	 * @return the unit
	 */
	public Unit unit() {
		return this.unit;
	}

	/**
	 * The settings that apply where the user tuned nothing.
	 * @return the defaults
	 */
	public AlertSettings defaults() {
		return new AlertSettings(true, this.threshold, this.forDuration, this.severity, Map.of(),
				Map.of(), "");
	}

	/**
	 * The {@code summary} annotation, in the labels of a path's naming.
	 */
	String summary(PrometheusNaming naming) {
		return naming.labels(this.summary.apply(naming));
	}

	/**
	 * The {@code description} annotation, in the names and labels of a path's naming.
	 */
	String description(PrometheusNaming naming) {
		return naming.labels(this.description.apply(naming));
	}

	/**
	 * The value compared with the threshold, one series per pool, executor or instance, in a
	 * path's naming.
	 */
	abstract String condition(PrometheusNaming naming, Selector selector);

	/**
	 * The alert's expression.
	 */
	String expr(PrometheusNaming naming, Selector selector, double threshold) {
		return condition(naming, selector) + " > " + format(threshold);
	}

	private static String format(double value) {
		return (value == Math.rint(value) && Math.abs(value) < 1e15) ? Long.toString((long) value)
				: Double.toString(value);
	}

	/**
	 * The unit of an alert's threshold, which bounds the values it may take.
	 */
	public enum Unit {

		/** A share between 0 and 1. */
		RATIO,

		/** Seconds. */
		SECONDS,

		/** Events per second. */
		PER_SECOND,

		/** A number of threads. */
		THREADS,

		/** A number of events. */
		COUNT

	}

}
