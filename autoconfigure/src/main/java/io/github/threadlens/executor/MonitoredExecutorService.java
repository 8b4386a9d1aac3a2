package io.github.threadlens.executor;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;

/**
 * An executor service whose every task is timed from submission: {@code execute} wraps the
 * runnable, and {@code submit}/{@code invokeAll}/{@code invokeAny} build timed future tasks.
 * Lifecycle calls go to the delegate unchanged ({@link ForwardingExecutorService}).
 */
public final class MonitoredExecutorService extends ForwardingExecutorService {

	private final ExecutorService delegate;

	private final ExecutorMonitor monitor;

	MonitoredExecutorService(ExecutorService delegate, ExecutorMonitor monitor) {
		super(delegate);
		this.delegate = delegate;
		this.monitor = monitor;
	}

	/**
	 * The executor this one times.
	 * @return the delegate
	 */
	public ExecutorService delegate() {
		return this.delegate;
	}

	@Override
	public void execute(Runnable command) {
		Runnable task = (command instanceof Monitored) ? command : this.monitor.wrap(command);
		try {
			this.delegate.execute(task);
		}
		catch (RejectedExecutionException ex) {
			this.monitor.rejected(task);
			throw ex;
		}
	}

	@Override
	protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
		return this.monitor.wrap(callable);
	}

	@Override
	protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
		return this.monitor.wrap(Executors.callable(runnable, value));
	}

	@Override
	public String toString() {
		return "MonitoredExecutorService[" + this.monitor.name() + ", " + this.delegate + "]";
	}

}
