package io.github.threadlens.executor;

import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Counts what a pool's rejection policy keeps off the pool, then lets the policy decide, so
 * that it keeps its behaviour: abort still throws, caller-runs still runs the task in the
 * caller.
 * <p>
 * A refused task counts as rejected once, as it is handed to the policy, whatever the policy
 * then does with it: throw it back, drop it, or run it, a run that is not timed. The JDK's
 * {@link ThreadPoolExecutor.DiscardOldestPolicy} is the exception, because the task it drops
 * is not the one it is handed: it makes room by dropping the oldest queued task and
 * resubmits the refused one, which then runs on the pool and is timed there. That policy does
 * not tell which task it dropped, so this handler does what it does and counts the dropped
 * task. A subclass of it may do otherwise and is treated as any other policy.
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
		if (this.policy.getClass() == ThreadPoolExecutor.DiscardOldestPolicy.class) {
			discardOldest(task, executor);
			return;
		}
		// A task submitted to the pool directly, not through a timing wrapper, counts too.
		this.monitor.rejected(task);
		this.policy.rejectedExecution(task, executor);
	}

	private void discardOldest(Runnable task, ThreadPoolExecutor executor) {
		if (executor.isShutdown()) {
			// The policy drops the refused task itself once the pool is shut down.
			this.monitor.rejected(task);
			return;
		}
		Runnable oldest = executor.getQueue().poll();
		if (oldest != null) {
			this.monitor.rejected(oldest);
		}
		executor.execute(task);
	}

}
