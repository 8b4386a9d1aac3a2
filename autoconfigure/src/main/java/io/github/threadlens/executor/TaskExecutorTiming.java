package io.github.threadlens.executor;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.task.SimpleAsyncTaskExecutorCustomizer;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Times the tasks of every executor and scheduler that Spring Boot's task builders build
 * (Boot's {@code applicationTaskExecutor} and {@code taskScheduler}, and the application's
 * own built from the builder beans), through Boot's customizers and Spring's
 * {@link TaskDecorator}.
 * <p>
 * An executor has no getter for its decorator, so this gives it the decorator Boot's builder
 * gives it, the application's {@code TaskDecorator} beans resolved as Boot resolves them (one
 * bean as it is, several composed in order), with the timing around it. It runs before the
 * application's own customizers, so that one which sets a decorator of its own keeps it (and
 * that executor is not timed). The executor's bean name, the {@code name} tag, is known
 * only once the bean is post-processed: until {@link #bind} its decorator decorates
 * without timing.
 */
public final class TaskExecutorTiming implements ThreadPoolTaskExecutorCustomizer, ThreadPoolTaskSchedulerCustomizer,
		SimpleAsyncTaskExecutorCustomizer, SimpleAsyncTaskSchedulerCustomizer, Ordered {

	private final ObjectProvider<TaskDecorator> decorators;

	private final boolean virtualThreads;

	/** Built executors whose bean name is not known yet; weak, as a builder may build any. */
	private final Map<Object, TimedTaskDecorator> unnamed = Collections.synchronizedMap(new WeakHashMap<>());

	/**
	 * Create the customizer.
	 * @param decorators the application's task decorators, as Boot's builders are given them
	 * @param virtualThreads whether Boot's builders build thread-per-task executors on
	 * virtual threads ({@code spring.threads.virtual.enabled}); an executor built on them
	 * otherwise is known as such from its first task
	 */
	public TaskExecutorTiming(ObjectProvider<TaskDecorator> decorators, boolean virtualThreads) {
		this.decorators = decorators;
		this.virtualThreads = virtualThreads;
	}

	@Override
	public void customize(ThreadPoolTaskExecutor executor) {
		executor.setTaskDecorator(timed(executor));
	}

	@Override
	public void customize(ThreadPoolTaskScheduler scheduler) {
		scheduler.setTaskDecorator(timed(scheduler));
	}

	@Override
	public void customize(SimpleAsyncTaskExecutor executor) {
		executor.setTaskDecorator(timed(executor));
	}

	@Override
	public void customize(SimpleAsyncTaskScheduler scheduler) {
		scheduler.setTaskDecorator(timed(scheduler));
	}

	private TimedTaskDecorator timed(Object executor) {
		TimedTaskDecorator decorator = new TimedTaskDecorator(applicationDecorator(), null);
		this.unnamed.put(executor, decorator);
		return decorator;
	}

	private @Nullable TaskDecorator applicationDecorator() {
		List<TaskDecorator> decorators = this.decorators.orderedStream().toList();
		if (decorators.size() == 1) {
			return decorators.get(0);
		}
		return decorators.isEmpty() ? null : new CompositeTaskDecorator(decorators);
	}

	/**
	 * Start timing the tasks of an executor this customized, under its bean name.
	 * @param executor the executor bean
	 * @param name its bean name
	 * @param monitors the monitors
	 * @return whether the executor was built by Boot's builders and is timed from now on
	 */
	boolean bind(Object executor, String name, ExecutorMonitors monitors) {
		TimedTaskDecorator decorator = this.unnamed.remove(executor);
		if (decorator == null) {
			return false;
		}
		decorator.bind((executor instanceof SimpleAsyncTaskExecutor)
				? monitors.monitorThreadPerTask(name, this.virtualThreads) : monitors.monitor(name));
		return true;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
