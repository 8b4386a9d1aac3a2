package io.github.threadlens.executor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.atomic.LongAdder;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.ExemplarContext;
import org.jspecify.annotations.Nullable;

/**
 * The measurements of one executor: queue wait (submission to start) and run time recorded
 * into the sinks' timers, failures and rejections counted.
 */
public final class ExecutorMonitor {

	private final String name;

	private final DurationRecorder queueWait;

	private final DurationRecorder runTime;

	private final LongAdder failed = new LongAdder();

	private final LongAdder rejected = new LongAdder();

	private final ExemplarContext exemplars;

	// Only for executors with no pool to ask, so that pooled ones do not pay for it per task.
	private final LongAdder running;

	/** {@code Thread.isVirtual()}, JDK 21+, looked up at run time so that JDK 17 runs this. */
	private static final MethodHandle IS_VIRTUAL = isVirtualMethod();

	// Spring offers no getter for whether a thread-per-task executor makes virtual threads:
	// its first task on one tells, and the sinks are told, since its gauge changes name.
	private volatile boolean virtual;

	private final Runnable kindChanged;

	ExecutorMonitor(String name, DurationRecorder queueWait, DurationRecorder runTime, boolean countsRunning,
			ExemplarContext exemplars) {
		this(name, queueWait, runTime, countsRunning, false, () -> {
		}, exemplars);
	}

	ExecutorMonitor(String name, DurationRecorder queueWait, DurationRecorder runTime, boolean countsRunning,
			boolean virtual, Runnable kindChanged, ExemplarContext exemplars) {
		this.virtual = virtual;
		this.kindChanged = kindChanged;
		this.name = name;
		this.queueWait = queueWait;
		this.runTime = runTime;
		this.running = countsRunning ? new LongAdder() : null;
		this.exemplars = exemplars;
	}

	/**
	 * The executor's name, the {@code name} tag of its meters.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Wrap a task at submission so that its wait, run and outcome are measured.
	 * @param task the task
	 * @return the task to hand to the executor
	 */
	public Runnable wrap(Runnable task) {
		return new MonitoredTask(task, task, this);
	}

	/**
	 * Wrap a task that something else already decorated (a user's {@code TaskDecorator}),
	 * keeping the task as submitted to tell whether it failed: a future's failure is only
	 * visible on the future itself.
	 * @param decorated the task to run
	 * @param submitted the task as submitted, inside the decoration
	 * @return the task to hand to the executor
	 */
	Runnable wrap(Runnable decorated, Runnable submitted) {
		return new MonitoredTask(decorated, submitted, this);
	}

	/**
	 * Wrap a scheduled task, which may run many times: each run's queue wait is its
	 * lateness, from when that run was due.
	 * @param decorated the task to run
	 * @param schedule the scheduled future, which knows when each run is due
	 * @return the task to hand to the scheduler
	 */
	Runnable wrapScheduled(Runnable decorated, Delayed schedule) {
		return new MonitoredTask(decorated, schedule, this);
	}

	/**
	 * Wrap a value-returning task at submission.
	 * @param <V> the result type
	 * @param task the task
	 * @return a future task to hand to the executor
	 */
	public <V> MonitoredFutureTask<V> wrap(Callable<V> task) {
		return new MonitoredFutureTask<>(task, this);
	}

	/**
	 * Tasks that ran on the executor and failed: threw, failed the future they ran, or ran
	 * an {@code @Async} method that failed.
	 * @return the monotonic count
	 */
	public long failed() {
		return this.failed.sum();
	}

	/**
	 * Tasks the executor's rejection policy kept off it: refused, run in the caller, or
	 * dropped from the queue to make room.
	 * @return the monotonic count
	 */
	public long rejected() {
		return this.rejected.sum();
	}

	/**
	 * Tasks running now: started and not yet ended, counted only for an executor
	 * monitored as one thread per task.
	 * @return the count
	 */
	public long running() {
		return (this.running != null) ? this.running.sum() : 0;
	}

	/**
	 * Whether the executor runs its tasks on virtual threads, as far as its tasks have shown.
	 * @return whether it is known to
	 */
	boolean virtual() {
		return this.virtual;
	}

	private void noteThreadKind() {
		if (!this.virtual && IS_VIRTUAL != null) {
			boolean virtual;
			try {
				virtual = (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
			}
			catch (Throwable ex) {
				// A thread that cannot say is taken for a platform thread.
				return;
			}
			if (virtual) {
				this.virtual = true;
				this.kindChanged.run();
			}
		}
	}

	private static @Nullable MethodHandle isVirtualMethod() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	/**
	 * The submitting thread's trace context, taken as a task is wrapped.
	 * @return the context, or {@code null} when there is none or it cannot be read
	 */
	@Nullable Object submitterTrace() {
		try {
			return this.exemplars.capture();
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	long started(long submittedAt, @Nullable Object submitterTrace) {
		long now = System.nanoTime();
		if (this.running != null) {
			this.running.increment();
			noteThreadKind();
		}
		record(this.queueWait, now - submittedAt, submitterTrace);
		return now;
	}

	void finished(long startedAt, boolean failed, @Nullable Object submitterTrace) {
		long ranFor = System.nanoTime() - startedAt;
		// Outcome and running count first: once a run is recorded, whoever sees it also
		// sees the task counted as failed or not, and no longer running.
		if (failed) {
			this.failed.increment();
		}
		if (this.running != null) {
			this.running.decrement();
		}
		record(this.runTime, ranFor, submitterTrace);
	}

	/**
	 * Record with the submitter's trace current, for the sinks' exemplars; the worker's own
	 * context is back when the recording is done. A tracer that fails costs the exemplar,
	 * never the recording or the task.
	 */
	private void record(DurationRecorder recorder, long nanos, @Nullable Object submitterTrace) {
		ExemplarContext.Scope scope = null;
		if (submitterTrace != null) {
			try {
				scope = this.exemplars.open(submitterTrace);
			}
			catch (RuntimeException ex) {
				// Recorded without the exemplar.
			}
		}
		try {
			recorder.record(nanos);
		}
		finally {
			if (scope != null) {
				scope.close();
			}
		}
	}

	/**
	 * Count a refused task once, however often it is reported: one this monitor wrapped
	 * keeps track itself, any other is counted as it comes.
	 * @param task the task as the executor saw it
	 */
	public void rejected(Runnable task) {
		if (task instanceof Monitored monitored) {
			monitored.rejected();
		}
		else {
			countRejection();
		}
	}

	void countRejection() {
		this.rejected.increment();
	}

}
