package io.github.threadlens.executor;

import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;

/**
 * A future task timed from submission. A callable's exception is caught by the future, so
 * failure is seen where the future records it, in {@link #setException(Throwable)}.
 *
 * @param <V> the result type
 */
public final class MonitoredFutureTask<V> extends FutureTask<V> implements Monitored {

	private final ExecutorMonitor monitor;

	private final long submittedAt = System.nanoTime();

	private volatile boolean rejected;

	private boolean failed;

	MonitoredFutureTask(Callable<V> callable, ExecutorMonitor monitor) {
		super(callable);
		this.monitor = monitor;
	}

	@Override
	public void run() {
		if (this.rejected) {
			super.run();
			return;
		}
		long startedAt = this.monitor.started(this.submittedAt);
		try {
			super.run();
		}
		finally {
			this.monitor.finished(startedAt, this.failed);
		}
	}

	@Override
	protected void setException(Throwable failure) {
		this.failed = true;
		super.setException(failure);
	}

	@Override
	public synchronized void rejected() {
		if (!this.rejected) {
			this.rejected = true;
			this.monitor.countRejection();
		}
	}

}
