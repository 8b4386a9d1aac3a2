package io.github.threadlens.executor;

import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A runnable timed from submission: the queue wait when it starts, the run time and whether
 * it failed when it ends.
 */
final class MonitoredTask implements Runnable, Monitored {

	private final Runnable task;

	private final Runnable submitted;

	private final ExecutorMonitor monitor;

	private final long submittedAt = System.nanoTime();

	private final @Nullable Object submitterTrace;

	// Set when the task runs an @Async method, whose failure Spring keeps from the task.
	private final @Nullable AsyncMethodCall asyncCall = AsyncMethodCall.claim();

	// Set for a scheduled task: it may run many times, each due at its own time.
	private final Delayed schedule;

	private volatile boolean rejected;

	MonitoredTask(Runnable task, Runnable submitted, ExecutorMonitor monitor) {
		this.task = task;
		this.submitted = submitted;
		this.monitor = monitor;
		this.submitterTrace = monitor.submitterTrace();
		this.schedule = null;
	}

	MonitoredTask(Runnable task, Delayed schedule, ExecutorMonitor monitor) {
		this.task = task;
		this.submitted = (schedule instanceof Runnable runnable) ? runnable : task;
		this.monitor = monitor;
		this.submitterTrace = monitor.submitterTrace();
		this.schedule = schedule;
	}

	@Override
	public void run() {
		if (this.rejected) {
			// Run in the caller by a rejection policy: already counted as rejected.
			this.task.run();
			return;
		}
		long startedAt = this.monitor.started(dueAt(), this.submitterTrace);
		boolean failed = true;
		try {
			this.task.run();
			failed = failedFuture(this.submitted) || AsyncMethodCall.failed(this.asyncCall);
		}
		finally {
			this.monitor.finished(startedAt, failed, this.submitterTrace);
		}
	}

	/**
	 * When the task could start: its submission, or for a scheduled task the time this run
	 * was due, so that its queue wait is its lateness.
	 */
	private long dueAt() {
		if (this.schedule == null) {
			return this.submittedAt;
		}
		long now = System.nanoTime();
		return now + Math.min(0, this.schedule.getDelay(TimeUnit.NANOSECONDS));
	}

	/**
	 * Whether a task that returned normally was a future that caught its callable's
	 * exception, as executors' own {@code submit} methods wrap callables before a decorator
	 * sees them. Once the future is done, {@code get()} does not block.
	 */
	private static boolean failedFuture(Runnable task) {
		if (!(task instanceof Future<?> future) || !future.isDone() || future.isCancelled()) {
			return false;
		}
		try {
			future.get();
			return false;
		}
		catch (ExecutionException ex) {
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public synchronized void rejected() {
		if (!this.rejected) {
			this.rejected = true;
			this.monitor.countRejection();
		}
	}

	@Override
	public String toString() {
		return this.task.toString();
	}

}
