package io.github.threadlens.executor.web;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.executor.ExecutorMonitor;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.PoolGauges;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.jspecify.annotations.Nullable;

/**
 * Jetty's request pool, built as Spring Boot builds it (same sizes, idle timeout and queue),
 * whose every job handed to it through {@link #execute(Runnable)} once the server has
 * started is timed from hand-off to a worker: its wait in the queue while all workers are
 * busy, then its run. Jobs handed before (the acceptors and selectors, which run as long as
 * the server) and jobs that Jetty hands straight to a reserved thread
 * ({@link #tryExecute(Runnable)}) are not timed. A job the queue refuses is counted as a
 * rejection, and Jetty still fails it as it would. Being a {@code QueuedThreadPool}, it is
 * read by Spring Boot's {@code jetty.threads.*} meters as its own.
 */
final class MonitoredQueuedThreadPool extends QueuedThreadPool {

	private final ExecutorMonitor monitor;

	private final ThreadFactory threads;

	private volatile boolean timing;

	private volatile boolean stopped;

	MonitoredQueuedThreadPool(int maxThreads, int minThreads, int idleTimeout,
			@Nullable BlockingQueue<Runnable> queue, String name, ExecutorMonitors monitors) {
		super(maxThreads, minThreads, idleTimeout, queue);
		this.monitor = monitors.monitor(name);
		this.threads = monitors.attributing(name, super::newThread);
	}

	/** Time the jobs handed to the pool from now on: called once the server has started. */
	void startTiming() {
		this.timing = true;
	}

	@Override
	public void execute(Runnable job) {
		Runnable task = this.timing ? this.monitor.wrap(job) : job;
		try {
			super.execute(task);
		}
		catch (RejectedExecutionException ex) {
			this.monitor.rejected(task);
			throw ex;
		}
	}

	@Override
	public Thread newThread(Runnable runnable) {
		return this.threads.newThread(runnable);
	}

	@Override
	protected void doStop() throws Exception {
		this.timing = false;
		super.doStop();
		this.stopped = true;
	}

	PoolGauges gauges() {
		BlockingQueue<Runnable> queue = getQueue();
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_ACTIVE, this::getBusyThreads,
				ThreadLensMeters.EXECUTOR_QUEUED, this::getQueueSize, ThreadLensMeters.EXECUTOR_QUEUE_REMAINING,
				queue::remainingCapacity, ThreadLensMeters.EXECUTOR_POOL_SIZE, this::getThreads,
				ThreadLensMeters.EXECUTOR_POOL_CORE, this::getMinThreads, ThreadLensMeters.EXECUTOR_POOL_MAX,
				this::getMaxThreads), () -> this.stopped);
	}

}
