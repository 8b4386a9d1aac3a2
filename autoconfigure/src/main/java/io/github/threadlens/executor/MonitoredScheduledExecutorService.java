package io.github.threadlens.executor;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A scheduled executor service whose every task is timed: its queue wait runs from when it
 * could start (its submission, or the time a delayed or periodic run was due, so that it is
 * the run's lateness) to its start. Submissions return the delegate's own futures, so that
 * cancelling one removes the task from the delegate's queue where the delegate does that
 * (Reactor's schedulers cancel every disposed task that way). A refusal by the delegate is
 * counted, then thrown as before.
 */
public final class MonitoredScheduledExecutorService extends ForwardingExecutorService
		implements ScheduledExecutorService {

	private final ScheduledExecutorService delegate;

	private final ExecutorMonitor monitor;

	MonitoredScheduledExecutorService(ScheduledExecutorService delegate, ExecutorMonitor monitor) {
		super(delegate);
		this.delegate = delegate;
		this.monitor = monitor;
	}

	/**
	 * The executor this one times.
	 * @return the delegate
	 */
	public ScheduledExecutorService delegate() {
		return this.delegate;
	}

	@Override
	public void execute(Runnable command) {
		Run run = new Run(command, this.monitor, System.nanoTime(), 0);
		submitted(run, () -> {
			this.delegate.execute(run);
			return null;
		});
	}

	@Override
	public Future<?> submit(Runnable task) {
		Run run = new Run(task, this.monitor, System.nanoTime(), 0);
		return submitted(run, () -> this.delegate.submit(run));
	}

	@Override
	public <T> Future<T> submit(Runnable task, T result) {
		Run run = new Run(task, this.monitor, System.nanoTime(), 0);
		return submitted(run, () -> this.delegate.submit(run, result));
	}

	@Override
	public <T> Future<T> submit(Callable<T> task) {
		Call<T> call = new Call<>(task, this.monitor, System.nanoTime());
		return submitted(call, () -> this.delegate.submit(call));
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
		Run run = new Run(command, this.monitor, dueIn(delay, unit), 0);
		return submitted(run, () -> this.delegate.schedule(run, delay, unit));
	}

	@Override
	public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
		Call<V> call = new Call<>(callable, this.monitor, dueIn(delay, unit));
		return submitted(call, () -> this.delegate.schedule(call, delay, unit));
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
		// Each run is due a period after the one before was due.
		Run run = new Run(command, this.monitor, dueIn(initialDelay, unit), unit.toNanos(period));
		return submitted(run, () -> this.delegate.scheduleAtFixedRate(run, initialDelay, period, unit));
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
		// Each run is due a delay after the one before ended.
		Run run = new Run(command, this.monitor, dueIn(initialDelay, unit), -unit.toNanos(delay));
		return submitted(run, () -> this.delegate.scheduleWithFixedDelay(run, initialDelay, delay, unit));
	}

	private static long dueIn(long delay, TimeUnit unit) {
		return System.nanoTime() + Math.max(0, unit.toNanos(delay));
	}

	private <F> F submitted(Timing task, Submission<F> submission) {
		try {
			return submission.submit();
		}
		catch (RejectedExecutionException ex) {
			task.rejected();
			throw ex;
		}
	}

	@Override
	public String toString() {
		return "MonitoredScheduledExecutorService[" + this.monitor.name() + ", " + this.delegate + "]";
	}

	@FunctionalInterface
	private interface Submission<F> {

		F submit();

	}

	/**
	 * The timing of one task's runs, each from when it was due. The runs of one task never
	 * overlap, so the next due time needs no more than a volatile write between them.
	 */
	private static class Timing implements Monitored {

		private final ExecutorMonitor monitor;

		private final @Nullable Object submitterTrace;

		// Positive: a fixed rate; negative: a fixed delay after each end; zero: one run.
		private final long period;

		private volatile long dueAt;

		private volatile boolean rejected;

		Timing(ExecutorMonitor monitor, long dueAt, long period) {
			this.monitor = monitor;
			this.submitterTrace = monitor.submitterTrace();
			this.dueAt = dueAt;
			this.period = period;
		}

		// Each due time is read before the pool computes its own trigger time for the same
		// run, so it is never after the run's start: a lateness is never negative.
		final long begin() {
			return this.monitor.started(this.dueAt, this.submitterTrace);
		}

		final void end(long startedAt, boolean failed) {
			this.monitor.finished(startedAt, failed, this.submitterTrace);
			if (this.period > 0) {
				this.dueAt += this.period;
			}
			else if (this.period < 0) {
				this.dueAt = System.nanoTime() - this.period;
			}
		}

		@Override
		public final synchronized void rejected() {
			if (!this.rejected) {
				this.rejected = true;
				this.monitor.countRejection();
			}
		}

	}

	private static final class Run extends Timing implements Runnable {

		private final Runnable task;

		Run(Runnable task, ExecutorMonitor monitor, long dueAt, long period) {
			super(monitor, dueAt, period);
			this.task = task;
		}

		@Override
		public void run() {
			long startedAt = begin();
			boolean failed = true;
			try {
				this.task.run();
				failed = false;
			}
			finally {
				end(startedAt, failed);
			}
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

	private static final class Call<V> extends Timing implements Callable<V> {

		private final Callable<V> task;

		Call(Callable<V> task, ExecutorMonitor monitor, long dueAt) {
			super(monitor, dueAt, 0);
			this.task = task;
		}

		@Override
		public V call() throws Exception {
			long startedAt = begin();
			boolean failed = true;
			try {
				V result = this.task.call();
				failed = false;
				return result;
			}
			finally {
				end(startedAt, failed);
			}
		}

		@Override
		public String toString() {
			return this.task.toString();
		}

	}

}
