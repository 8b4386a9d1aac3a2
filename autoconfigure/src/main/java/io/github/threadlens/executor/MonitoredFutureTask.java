package io.github.threadlens.executor;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

import org.jspecify.annotations.Nullable;

/**
 * A future task timed from submission. The run is recorded as the result or the exception
 * is set, before the future completes, so that whoever waits on the future sees the task
 * already counted; failure is seen there too, since the future catches the callable's
 * exception.
 *
 * @param <V> the result type
 */
public final class MonitoredFutureTask<V> extends FutureTask<V> implements Monitored {

	private final ExecutorMonitor monitor;

	private final long submittedAt = System.nanoTime();

	private final @Nullable Object submitterTrace;

	// Set when the task runs an @Async method, whose failure Spring keeps from the task.
	private final @Nullable AsyncMethodCall asyncCall = AsyncMethodCall.claim();

	private volatile boolean rejected;

	// Confined to the thread that runs the task.
	private long startedAt;

	private boolean started;

	private boolean finished;

	MonitoredFutureTask(Callable<V> callable, ExecutorMonitor monitor) {
		super(callable);
		this.monitor = monitor;
		this.submitterTrace = monitor.submitterTrace();
	}

	@Override
	public void run() {
		if (this.rejected) {
			super.run();
			return;
		}
		this.startedAt = this.monitor.started(this.submittedAt, this.submitterTrace);
		this.started = true;
		super.run();
		// Cancelled while running: neither set nor setException recorded the end.
		finish(false);
	}

	@Override
	protected void set(V value) {
		finish(AsyncMethodCall.failed(this.asyncCall));
		super.set(value);
	}

	@Override
	protected void setException(Throwable failure) {
		finish(true);
		super.setException(failure);
	}

	private void finish(boolean failed) {
		if (this.started && !this.finished) {
			this.finished = true;
			this.monitor.finished(this.startedAt, failed, this.submitterTrace);
		}
	}

	@Override
	public synchronized void rejected() {
		if (!this.rejected) {
			this.rejected = true;
			this.monitor.countRejection();
		}
	}

}
