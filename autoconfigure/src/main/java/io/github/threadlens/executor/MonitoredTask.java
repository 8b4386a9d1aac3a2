package io.github.threadlens.executor;

/**
 * A runnable timed from submission: the queue wait when it starts, the run time and whether
 * it threw when it ends.
 */
final class MonitoredTask implements Runnable, Monitored {

	private final Runnable task;

	private final ExecutorMonitor monitor;

	private final long submittedAt = System.nanoTime();

	private volatile boolean rejected;

	MonitoredTask(Runnable task, ExecutorMonitor monitor) {
		this.task = task;
		this.monitor = monitor;
	}

	@Override
	public void run() {
		if (this.rejected) {
			// Run in the caller by a rejection policy: already counted as rejected.
			this.task.run();
			return;
		}
		long startedAt = this.monitor.started(this.submittedAt);
		boolean failed = true;
		try {
			this.task.run();
			failed = false;
		}
		finally {
			this.monitor.finished(startedAt, failed);
		}
	}

	@Override
	public synchronized void rejected() {
		if (!this.rejected) {
			this.rejected = true;
			this.monitor.countRejection();
		}
	}

	@Override
	public String toString() {
		return this.task.toString();
	}

}
