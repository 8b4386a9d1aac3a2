package io.github.threadlens.executor;

import java.util.concurrent.Delayed;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * A {@link TaskDecorator} that times each task on an executor's monitor, around the
 * application's own decoration (context propagation, MDC), which still decorates the task.
 * ThreadLens's wrapper is outermost so that the pool's rejection policy sees a timed task
 * and a task that a caller-runs policy runs is counted once. A scheduled task's queue wait
 * is its lateness: each run is timed from when it was due.
 */
public final class TimedTaskDecorator implements TaskDecorator {

	private final @Nullable TaskDecorator decorator;

	private volatile @Nullable ExecutorMonitor monitor;

	TimedTaskDecorator(@Nullable TaskDecorator decorator, @Nullable ExecutorMonitor monitor) {
		this.decorator = decorator;
		this.monitor = monitor;
	}

	/**
	 * A decorator that times every task under the monitor's executor name.
	 * @param decorator the application's decorator, or {@code null} for none
	 * @param monitor the executor's monitor
	 * @return the decorator to give the executor
	 */
	public static TaskDecorator timing(@Nullable TaskDecorator decorator, ExecutorMonitor monitor) {
		return new TimedTaskDecorator(decorator, monitor);
	}

	/**
	 * Start timing: a decorator set on an executor before its bean name is known decorates
	 * without timing until then.
	 * @param monitor the executor's monitor
	 */
	void bind(ExecutorMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public Runnable decorate(Runnable task) {
		// A task already wrapped comes back when a rejection policy resubmits it to the pool
		// (DiscardOldestPolicy), whose execute decorates again: it is decorated and timed once.
		if (task instanceof Monitored) {
			return task;
		}
		Runnable decorated = (this.decorator != null) ? this.decorator.decorate(task) : task;
		ExecutorMonitor monitor = this.monitor;
		if (monitor == null) {
			return decorated;
		}
		return (task instanceof Delayed schedule) ? monitor.wrapScheduled(decorated, schedule)
				: monitor.wrap(decorated, task);
	}

}
