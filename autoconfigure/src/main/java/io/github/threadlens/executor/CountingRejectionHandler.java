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
		// A task submitted to the pool directly, not through a timing wrapper, counts too.
		this.monitor.rejected(task);
		this.policy.rejectedExecution(task, executor);
	}

}
