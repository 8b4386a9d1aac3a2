package io.github.threadlens.executor;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensExecutorAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensMicrometerAutoConfiguration;
import io.github.threadlens.executor.TaskLedger.Entry;
import io.github.threadlens.executor.TaskLedger.TaskFailure;
import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million {@code @Async} invocations from eight submitters, for each return type, on Boot's
 * {@code applicationTaskExecutor} bounded so that its caller-runs policy runs some in the
 * caller. Spring keeps a method's failure from the executor's task (a void method's exception
 * goes to the {@link AsyncUncaughtExceptionHandler}, a {@code CompletableFuture} method's
 * completes the future), so the test counts failures itself, thrown or returned as a failed
 * future, and the meters of Boot's Prometheus registry agree exactly.
 */
class AsyncMethodOutcomeTests {

	private static final int PER_SUBMITTER = 125_000;

	private static final String EXECUTOR = "applicationTaskExecutor";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				PrometheusMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				TaskExecutorMetricsAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
				ThreadLensExecutorAutoConfiguration.class))
		.withPropertyValues("spring.task.execution.pool.core-size=2", "spring.task.execution.pool.max-size=2",
				"spring.task.execution.pool.queue-capacity=64")
		.withBean(ThreadPoolTaskExecutorCustomizer.class,
				() -> (executor) -> executor.setRejectedExecutionHandler(new ThreadPoolExecutor.CallerRunsPolicy()))
		.withUserConfiguration(AsyncConfiguration.class);

	@ParameterizedTest
	@EnumSource
	void everyInvocationHasExactlyOneOutcome(ReturnType returnType) {
		this.runner.run((context) -> {
			AsyncTasks tasks = context.getBean(AsyncTasks.class);
			TaskLedger ledger = new TaskLedger();
			ledger.submitAll(PER_SUBMITTER, (task) -> returnType.invoke.accept(tasks, task));
			ThreadPoolExecutor pool = context.getBean(EXECUTOR, ThreadPoolTaskExecutor.class).getThreadPoolExecutor();
			pool.shutdown();
			assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

			PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
			Outcomes expected = ledger.expected();
			assertThat(Outcomes.published(registry, EXECUTOR)).as(ledger.toString()).isEqualTo(expected);
			String scrape = registry.scrape();
			assertThat(Outcomes.scraped(scrape, EXECUTOR)).as(ledger.toString()).isEqualTo(expected);
			assertThat(expected.runs() + expected.rejected()).isEqualTo(ledger.submitted());
			assertThat(expected.failed()).isPositive();
			assertThat(expected.rejected()).isPositive();
			assertThat((long) Scrapes.value(scrape, "executor_completed_tasks_total", "name=\"" + EXECUTOR + "\""))
				.isEqualTo(ledger.ranOnPool());
			long handled = context.getBean(HandledFailures.class).count.sum();
			assertThat(handled).as("failures the application's handler was given")
				.isEqualTo((returnType == ReturnType.VOID) ? ledger.failed() : 0);
		});
	}

	enum ReturnType {

		VOID(AsyncTasks::runVoid),

		FUTURE(AsyncTasks::runFuture),

		COMPLETABLE_FUTURE(AsyncTasks::runCompletable);

		private final BiConsumer<AsyncTasks, Entry> invoke;

		ReturnType(BiConsumer<AsyncTasks, Entry> invoke) {
			this.invoke = invoke;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

		@Bean
		AsyncTasks asyncTasks() {
			return new AsyncTasks();
		}

		@Bean
		HandledFailures handledFailures() {
			return new HandledFailures();
		}

		@Bean
		AsyncConfigurer asyncConfigurer(HandledFailures handledFailures) {
			return new AsyncConfigurer() {

				@Override
				public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
					return handledFailures;
				}

			};
		}

	}

	/** The application's handler of a void method's failures, counting them. */
	static class HandledFailures implements AsyncUncaughtExceptionHandler {

		private final LongAdder count = new LongAdder();

		@Override
		public void handleUncaughtException(Throwable ex, Method method, Object... params) {
			this.count.increment();
		}

	}

	/**
	 * Runs a task as an {@code @Async} method: a failing task throws, or for a method with a
	 * future every other one returns a failed future instead.
	 */
	static class AsyncTasks {

		@Async
		public void runVoid(Entry task) {
			task.run();
		}

		@Async
		public Future<Void> runFuture(Entry task) {
			return result(task);
		}

		@Async
		public CompletableFuture<Void> runCompletable(Entry task) {
			return result(task);
		}

		private static CompletableFuture<Void> result(Entry task) {
			if (!task.ran()) {
				return CompletableFuture.completedFuture(null);
			}
			if (task.index() % 200 == 0) {
				throw new TaskFailure();
			}
			return CompletableFuture.failedFuture(new TaskFailure());
		}

	}

}
