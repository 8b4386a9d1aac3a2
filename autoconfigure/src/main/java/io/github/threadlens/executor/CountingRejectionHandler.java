package io.github.threadlens.executor;

import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Counts a rejection, then hands the task to the executor's own policy, which keeps its
 * behaviour: abort still throws, caller-runs still runs the task in the caller.
 */
final class CountingRejectionHandler implements RejectedExecutionHandler {

	private final RejectedExecutionHandler policy;

	CountingRejectionHandler(RejectedExecutionHandler policy) {
		this.policy = policy;
	}

	@Override
	public void rejectedExecution(Runnable task, ThreadPoolExecutor executor) {
		if (task instanceof Monitored monitored) {
			monitored.rejected();
		}
		this.policy.rejectedExecution(task, executor);
	}

}
