package io.github.threadlens.executor.web;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.executor.ExecutorMonitor;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;

/**
 * Tomcat's own request pool, built as its endpoint would build it (same queue, same
 * sizes), whose every request is timed from hand-off to a worker: the queue wait while all
 * workers are busy, then the processing time.
 */
final class MonitoredTomcatExecutor extends ThreadPoolExecutor {

	private final ExecutorMonitor monitor;

	MonitoredTomcatExecutor(int minSpareThreads, int maxThreads, long maxIdleMillis, TaskQueue queue,
			ThreadFactory threadFactory, ExecutorMonitor monitor) {
		super(minSpareThreads, maxThreads, maxIdleMillis, TimeUnit.MILLISECONDS, queue, threadFactory);
		queue.setParent(this);
		this.monitor = monitor;
	}

	@Override
	public void execute(Runnable command) {
		Runnable task = this.monitor.wrap(command);
		try {
			super.execute(task);
		}
		catch (RejectedExecutionException ex) {
			this.monitor.rejected(task);
			throw ex;
		}
	}

}
