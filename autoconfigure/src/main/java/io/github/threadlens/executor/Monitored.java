package io.github.threadlens.executor;

/**
 * A task ThreadLens times. Each ends in exactly one outcome, completed, failed or rejected,
 * which is what keeps {@code completed + failed + rejected = submitted} true even when a
 * rejection policy runs the refused task in the caller.
 */
interface Monitored {

	/**
	 * Count this task as rejected, once: a task refused twice (the policy counted it, then
	 * the executor threw) is still one rejection, and a rejected task that the policy then
	 * runs is not timed.
	 */
	void rejected();

}
