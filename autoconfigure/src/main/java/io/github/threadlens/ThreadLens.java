package io.github.threadlens;

import java.util.concurrent.ExecutorService;

import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.TimedTaskDecorator;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * The application's handle on ThreadLens, available as a bean: instrument executors that
 * are not Spring beans, and time Spring executors built with {@code new}.
 *
 * <pre class="code">
 * ExecutorService pool = threadLens.monitor(Executors.newFixedThreadPool(8), "image-resizer");
 * executor.setTaskDecorator(threadLens.decorate("ordersExecutor", mdcDecorator));
 * </pre>
 */
public final class ThreadLens {

	private final ExecutorMonitors executors;

	public ThreadLens(ExecutorMonitors executors) {
		this.executors = executors;
	}

	/**
	 * Time every task submitted through the returned executor: queue wait
	 * ({@code executor.idle}), run time ({@code executor}), failures and rejections, all tagged
	 * {@code name}. The threads of a {@code ThreadPoolExecutor} it creates from now on count
	 * under this name in {@code jvm.threads.pool.states}.
	 * @param executor the executor to instrument
	 * @param name the executor's name
	 * @return the instrumented executor; submit tasks to it rather than to the original
	 */
	public ExecutorService monitor(ExecutorService executor, String name) {
		return this.executors.monitor(executor, name);
	}

	/**
	 * A task decorator that times every task of a Spring executor (queue wait, run time,
	 * failures and rejections, tagged {@code name}) around the application's own decorator.
	 * Executors built by Spring Boot's task builders are timed without it; one built with
	 * {@code new} is timed when given this as its {@code TaskDecorator}.
	 * @param name the executor's name, usually its bean name
	 * @param decorator the application's decorator, or {@code null} for none
	 * @return the decorator to set on the executor
	 */
	public TaskDecorator decorate(String name, @Nullable TaskDecorator decorator) {
		return TimedTaskDecorator.timing(decorator, this.executors.monitor(name));
	}

}
