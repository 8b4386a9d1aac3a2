package io.github.threadlens.executor;

import java.util.concurrent.ThreadPoolExecutor;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Instruments Spring's task executors in place, so that each bean stays the same object of
 * the same type: {@link ThreadPoolTaskExecutor} beans (Boot's {@code applicationTaskExecutor},
 * the executors behind {@code @Async}, the user's own), {@link ThreadPoolTaskScheduler}
 * beans (behind {@code @Scheduled}) and {@link SimpleAsyncTaskExecutor} beans, one thread per
 * task (Boot's executor and scheduler when {@code spring.threads.virtual.enabled=true}),
 * whose tasks running now are published as {@code executor.active}, or with virtual threads
 * as {@code jvm.threads.virtual.active}.
 * <p>
 * The tasks of an executor that Boot's builders built are timed under its bean name, through
 * the decorator {@link TaskExecutorTiming} gave it. One built with {@code new} keeps the
 * decorator it was given, which Spring offers no way to read, and is not timed, unless the
 * application gives it ThreadLens's decorator ({@code ThreadLens#decorate}). Either way,
 * after initialization the pool's rejection policy is composed with the counter and its
 * thread factory attributes new threads to the bean's name.
 */
public final class TaskExecutorInstrumentation implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(TaskExecutorInstrumentation.class);

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final ObjectProvider<TaskExecutorTiming> timing;

	private final ExecutorNameFilter filter;

	/**
	 * Create the post-processor.
	 * @param monitors the monitors, resolved lazily so that post-processing does not create
	 * the meter registry early
	 * @param timing the customizer of the executors Boot's builders build, if any
	 * @param filter which bean names to instrument
	 */
	public TaskExecutorInstrumentation(ObjectProvider<ExecutorMonitors> monitors,
			ObjectProvider<TaskExecutorTiming> timing, ExecutorNameFilter filter) {
		this.monitors = monitors;
		this.timing = timing;
		this.filter = filter;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (!isIncluded(bean, beanName)) {
			return bean;
		}
		TaskExecutorTiming timing = this.timing.getIfAvailable();
		if (timing == null || !timing.bind(bean, beanName, this.monitors.getObject())) {
			logger.debug("'" + beanName + "' was not built by Spring Boot's task builders: its tasks are timed only "
					+ "if its TaskDecorator comes from ThreadLens#decorate; rejections and threads are counted");
		}
		return bean;
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
