package io.github.threadlens.executor;

import java.lang.reflect.Field;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.util.PatternMatchUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Instruments {@link ThreadPoolTaskExecutor} beans in place (Boot's
 * {@code applicationTaskExecutor}, the executors behind {@code @Async}, the user's own), so
 * that each stays the same object of the same type.
 * <p>
 * Timing goes in through Spring's own extension point, the {@link TaskDecorator}, which
 * the executor applies in the submitting thread. The user's decorator (context propagation,
 * MDC) still decorates the task; ThreadLens's wraps the result, so that the pool's
 * rejection policy sees a timed task and a task that a caller-runs policy runs is counted
 * once. After initialization the pool's rejection policy is composed with that counter and
 * its thread factory attributes new threads to the bean's name.
 */
public final class TaskExecutorInstrumentation implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(TaskExecutorInstrumentation.class);

	private static final Field TASK_DECORATOR = ReflectionUtils.findField(ThreadPoolTaskExecutor.class,
			"taskDecorator");

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final List<String> include;

	private final List<String> exclude;

	/**
	 * Create the post-processor.
	 * @param monitors the monitors, resolved lazily so that post-processing does not create
	 * the meter registry early
	 * @param include bean name patterns to instrument ({@code *} wildcards)
	 * @param exclude bean name patterns to leave alone, even when included
	 */
	public TaskExecutorInstrumentation(ObjectProvider<ExecutorMonitors> monitors, List<String> include,
			List<String> exclude) {
		this.monitors = monitors;
		this.include = List.copyOf(include);
		this.exclude = List.copyOf(exclude);
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof ThreadPoolTaskExecutor executor && isIncluded(beanName)) {
			if (TASK_DECORATOR == null) {
				// Setting a decorator without composing would drop the user's own.
				logger.warn("Cannot read the TaskDecorator of '" + beanName
						+ "': its tasks are not timed; rejections and threads still are");
				return bean;
			}
			ExecutorMonitor monitor = this.monitors.getObject().monitor(beanName);
			ReflectionUtils.makeAccessible(TASK_DECORATOR);
			TaskDecorator own = (TaskDecorator) ReflectionUtils.getField(TASK_DECORATOR, executor);
			executor.setTaskDecorator((own != null) ? (task) -> monitor.wrap(own.decorate(task), task) : monitor::wrap);
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ThreadPoolTaskExecutor executor && isIncluded(beanName)) {
			try {
				this.monitors.getObject().instrument(executor.getThreadPoolExecutor(), beanName);
			}
			catch (IllegalStateException ex) {
				logger.debug("'" + beanName + "' has no pool yet; its rejections and threads are not instrumented");
			}
		}
		return bean;
	}

	private boolean isIncluded(String beanName) {
		return PatternMatchUtils.simpleMatch(this.include.toArray(String[]::new), beanName)
				&& !PatternMatchUtils.simpleMatch(this.exclude.toArray(String[]::new), beanName);
	}

}
