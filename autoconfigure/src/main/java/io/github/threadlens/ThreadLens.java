package io.github.threadlens;

import java.util.concurrent.ExecutorService;

import io.github.threadlens.executor.ExecutorMonitors;

/**
 * The application's handle on ThreadLens, available as a bean: instrument executors that
 * are not Spring beans.
 *
 * <pre class="code">
 * ExecutorService pool = threadLens.monitor(Executors.newFixedThreadPool(8), "image-resizer");
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

}
