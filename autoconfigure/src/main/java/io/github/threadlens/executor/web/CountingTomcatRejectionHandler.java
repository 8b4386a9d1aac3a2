package io.github.threadlens.executor.web;

import io.github.threadlens.executor.ExecutorMonitor;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.apache.tomcat.util.threads.ThreadPoolExecutor.RejectedExecutionHandler;

/**
 * Counts the connections Tomcat's own request pool refuses, then lets its policy decide, so
 * that Tomcat still closes them as it would.
 */
final class CountingTomcatRejectionHandler implements RejectedExecutionHandler {

	private final RejectedExecutionHandler policy;

	private final ExecutorMonitor monitor;

	CountingTomcatRejectionHandler(RejectedExecutionHandler policy, ExecutorMonitor monitor) {
		this.policy = policy;
		this.monitor = monitor;
	}

	@Override
	public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
		this.monitor.rejected(task);
		this.policy.rejectedExecution(task, executor);
	}

}
