package io.github.threadlens.executor;

import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The rejection policies of {@link ThreadPoolExecutor}, and a handler of the application's
 * own, each named as an executor under test.
 */
enum RejectionPolicy {

	ABORT("abort", (ledger) -> new ThreadPoolExecutor.AbortPolicy()),

	CALLER_RUNS("caller-runs", (ledger) -> new ThreadPoolExecutor.CallerRunsPolicy()),

	DISCARD("discard", (ledger) -> new ThreadPoolExecutor.DiscardPolicy()),

	DISCARD_OLDEST("discard-oldest", (ledger) -> new ThreadPoolExecutor.DiscardOldestPolicy()),

	OWN("own-handler", RejectionPolicy::ownHandler);

	private final String label;

	private final Function<TaskLedger, RejectedExecutionHandler> handler;

	RejectionPolicy(String label, Function<TaskLedger, RejectedExecutionHandler> handler) {
		this.label = label;
		this.handler = handler;
	}

	/** @return the name of the executor under test, its {@code name} tag */
	String label() {
		return this.label;
	}

	/**
	 * @param ledger where a handler of the application's own notes what it is handed
	 * @return a new handler
	 */
	RejectedExecutionHandler handler(TaskLedger ledger) {
		return this.handler.apply(ledger);
	}

	/**
	 * A handler of the application's own: it drops the task, runs it in the caller or puts it
	 * back in the queue (blocking until there is room), in turn.
	 */
	private static RejectedExecutionHandler ownHandler(TaskLedger ledger) {
		AtomicLong calls = new AtomicLong();
		return (task, pool) -> {
			ledger.refusing();
			long call = calls.incrementAndGet();
			if (call % 3 == 1) {
				task.run();
			}
			else if (call % 3 == 2) {
				try {
					pool.getQueue().put(task);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
		};
	}

}
