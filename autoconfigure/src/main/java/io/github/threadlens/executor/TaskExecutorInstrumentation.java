package io.github.threadlens.executor;

import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiFunction;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ReflectionUtils;

/**
 * Instruments Spring's task executors in place, so that each bean stays the same object of
 * the same type: {@link ThreadPoolTaskExecutor} beans (Boot's {@code applicationTaskExecutor},
 * the executors behind {@code @Async}, the user's own), {@link ThreadPoolTaskScheduler}
 * beans (behind {@code @Scheduled}) and {@link SimpleAsyncTaskExecutor} beans, one thread per
 * task (Boot's executor and scheduler when {@code spring.threads.virtual.enabled=true}),
 * whose tasks running now are published as {@code executor.active}, or with virtual threads
 * as {@code jvm.threads.virtual.active}.
 * <p>
 * Timing goes in through Spring's own extension point, the {@link TaskDecorator}, which the
 * executor applies when a task is submitted or scheduled. The user's decorator (context
 * propagation, MDC) still decorates the task; ThreadLens's wraps the result, so that the
 * pool's rejection policy sees a timed task and a task that a caller-runs policy runs is
 * counted once. A scheduled task's queue wait is its lateness: each run is timed from when it
 * was due. After initialization the pool's rejection policy is composed with the counter and
 * its thread factory attributes new threads to the bean's name.
 */
public final class TaskExecutorInstrumentation implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(TaskExecutorInstrumentation.class);

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final ExecutorNameFilter filter;

	/**
	 * Create the post-processor.
	 * @param monitors the monitors, resolved lazily so that post-processing does not create
	 * the meter registry early
	 * @param filter which bean names to instrument
	 */
	public TaskExecutorInstrumentation(ObjectProvider<ExecutorMonitors> monitors, ExecutorNameFilter filter) {
		this.monitors = monitors;
		this.filter = filter;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (!isIncluded(bean, beanName)) {
			return bean;
		}
		Field field = ReflectionUtils.findField(bean.getClass(), "taskDecorator", TaskDecorator.class);
		if (field == null) {
			// Setting a decorator without composing would drop the user's own.
			logger.warn("Cannot read the TaskDecorator of '" + beanName
					+ "': its tasks are not timed; rejections and threads still are");
			return bean;
		}
		ExecutorMonitors monitors = this.monitors.getObject();
		ExecutorMonitor monitor = (bean instanceof SimpleAsyncTaskExecutor)
				? monitors.monitorThreadPerTask(beanName, usesVirtualThreads(bean)) : monitors.monitor(beanName);
		ReflectionUtils.makeAccessible(field);
		TaskDecorator own = (TaskDecorator) ReflectionUtils.getField(field, bean);
		if (bean instanceof ThreadPoolTaskScheduler scheduler) {
			scheduler.setTaskDecorator(compose(own, (decorated, task) -> (task instanceof Delayed schedule)
					? monitor.wrapScheduled(decorated, schedule) : monitor.wrap(decorated, task)));
		}
		else if (bean instanceof ThreadPoolTaskExecutor executor) {
			executor.setTaskDecorator(compose(own, monitor::wrap));
		}
		else {
			((SimpleAsyncTaskExecutor) bean).setTaskDecorator(compose(own, monitor::wrap));
		}
		return bean;
	}

	// Spring offers no getter; the delegate is set only by setVirtualThreads(true).
	private static boolean usesVirtualThreads(Object executor) {
		Field field = ReflectionUtils.findField(SimpleAsyncTaskExecutor.class, "virtualThreadDelegate");
		if (field == null) {
			return false;
		}
		ReflectionUtils.makeAccessible(field);
		return ReflectionUtils.getField(field, executor) != null;
	}

	private static TaskDecorator compose(TaskDecorator own, BiFunction<Runnable, Runnable, Runnable> wrap) {
		// A task already wrapped comes back when a rejection policy resubmits it to the pool
		// (DiscardOldestPolicy), whose execute decorates again: it is decorated and timed once.
		return (task) -> {
			if (task instanceof Monitored) {
				return task;
			}
			return wrap.apply((own != null) ? own.decorate(task) : task, task);
		};
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!isIncluded(bean, beanName)) {
			return bean;
		}
		if (bean instanceof SimpleAsyncTaskExecutor) {
			return bean;
		}
		try {
			ThreadPoolExecutor pool = (bean instanceof ThreadPoolTaskScheduler scheduler)
					? scheduler.getScheduledThreadPoolExecutor()
					: ((ThreadPoolTaskExecutor) bean).getThreadPoolExecutor();
			this.monitors.getObject().instrumentSpringPool(pool, beanName);
		}
		catch (IllegalStateException ex) {
			logger.debug("'" + beanName + "' has no pool yet; its rejections and threads are not instrumented");
		}
		return bean;
	}

	private boolean isIncluded(Object bean, String beanName) {
		return (bean instanceof ThreadPoolTaskExecutor || bean instanceof ThreadPoolTaskScheduler
				|| bean instanceof SimpleAsyncTaskExecutor) && this.filter.matches(beanName);
	}

}
