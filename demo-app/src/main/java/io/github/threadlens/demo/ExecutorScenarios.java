package io.github.threadlens.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.ThreadLens;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Executors the demo drives: a bounded {@code reportsExecutor} bean and a bounded
 * {@code exportPool} {@code ExecutorService} bean, a {@code crunchPool} fork-join pool bean
 * and, on JDK 21+, a {@code virtualExecutor} (all instrumented by ThreadLens automatically),
 * a plain {@code image-resizer} pool that is not a bean (wrapped with
 * {@link ThreadLens#monitor}), and Boot's {@code applicationTaskExecutor} through
 * {@code @Async}.
 */
@Component
public class ExecutorScenarios implements DisposableBean {

	static final Set<String> EXECUTORS = Set.of("reports", "export", "crunch", "virtual", "image-resizer", "async");

	static final int MAX_TASKS = 10_000;

	static final int MAX_MILLIS = 60_000;

	private final ThreadPoolTaskExecutor reports;

	private final ExecutorService imageResizer;

	private final ExecutorService export;

	private final ExecutorService crunch;

	private final TaskExecutor virtual;

	private final AsyncWork async;

	ExecutorScenarios(ThreadPoolTaskExecutor reportsExecutor, @Qualifier("exportPool") ExecutorService export,
			@Qualifier("crunchPool") ExecutorService crunch,
			@Qualifier("virtualExecutor") ObjectProvider<TaskExecutor> virtual, ThreadLens threadLens,
			AsyncWork async) {
		this.reports = reportsExecutor;
		this.export = export;
		this.crunch = crunch;
		this.virtual = virtual.getIfAvailable();
		this.imageResizer = threadLens.monitor(Executors.newFixedThreadPool(2), "image-resizer");
		this.async = async;
	}

	/**
	 * Submit tasks that each sleep, so that the queue builds and, for the bounded
	 * executor, rejections happen.
	 * @param executor reports, image-resizer or async
	 * @param tasks how many tasks
	 * @param millis how long each task sleeps
	 * @return how many were accepted and rejected
	 */
	public Map<String, Object> submit(String executor, int tasks, int millis) {
		if (!EXECUTORS.contains(executor)) {
			throw new IllegalArgumentException(
					"Path variable 'executor' must be one of " + EXECUTORS + ", was '" + executor + "'");
		}
		if (tasks < 1 || tasks > MAX_TASKS) {
			throw new IllegalArgumentException(
					"Parameter 'tasks' must be between 1 and " + MAX_TASKS + ", was " + tasks);
		}
		if (millis < 0 || millis > MAX_MILLIS) {
			throw new IllegalArgumentException(
					"Parameter 'millis' must be between 0 and " + MAX_MILLIS + ", was " + millis);
		}
		if ("virtual".equals(executor) && this.virtual == null) {
			throw new IllegalArgumentException("Path variable 'executor' is 'virtual', which needs JDK 21+, running on "
					+ Runtime.version().feature());
		}
		int accepted = 0;
		int rejected = 0;
		for (int i = 0; i < tasks; i++) {
			try {
				switch (executor) {
					case "reports" -> this.reports.execute(() -> sleep(millis));
					case "export" -> this.export.execute(() -> sleep(millis));
					case "crunch" -> this.crunch.execute(() -> sleep(millis));
					case "virtual" -> this.virtual.execute(() -> sleep(millis));
					case "image-resizer" -> this.imageResizer.execute(() -> sleep(millis));
					default -> this.async.sleep(millis);
				}
				accepted++;
			}
			catch (RejectedExecutionException ex) {
				rejected++;
			}
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("executor", executor);
		result.put("accepted", accepted);
		result.put("rejected", rejected);
		return result;
	}

	@Override
	public void destroy() throws InterruptedException {
		this.imageResizer.shutdownNow();
		this.imageResizer.awaitTermination(10, TimeUnit.SECONDS);
	}

	static void sleep(int millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Work run by Boot's {@code applicationTaskExecutor}.
	 */
	@Component
	public static class AsyncWork {

		@Async
		public CompletableFuture<Void> sleep(int millis) {
			ExecutorScenarios.sleep(millis);
			return CompletableFuture.completedFuture(null);
		}

	}

}
