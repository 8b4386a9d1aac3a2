package io.github.threadlens.executor;

import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Counts a rejection, then hands the task to the executor's own policy, which keeps its
 * behaviour: abort still throws, caller-runs still runs the task in the caller.
 */
final class CountingRejectionHandler implements RejectedExecutionHandler {

	private final RejectedExecutionHandler policy;

	private final ExecutorMonitor monitor;

	CountingRejectionHandler(RejectedExecutionHandler policy, ExecutorMonitor monitor) {
		this.policy = policy;
		this.monitor = monitor;
	}

	@Override
	public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
		if (task instanceof Monitored monitored) {
			monitored.rejected();
		}
		else {
			// Submitted to the pool directly, not through a timing wrapper.
			this.monitor.countRejection();
		}
		this.policy.rejectedExecution(task, executor);
	}

}
