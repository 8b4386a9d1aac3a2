package io.github.threadlens.executor;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensExecutorAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensMicrometerAutoConfiguration;
import io.github.threadlens.testsupport.Awaits;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failure of an {@code @Async} method counts on the task that ran the method, whatever
 * executor Spring hands it to, and on no other task.
 */
class AsyncMethodInstrumentationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
				ThreadLensExecutorAutoConfiguration.class))
		.withUserConfiguration(AsyncConfiguration.class);

	@Test
	void failuresOfMethodsOnAnExecutorServiceBeanAreCounted() {
		this.runner.run((context) -> {
			AsyncMethods methods = context.getBean(AsyncMethods.class);
			methods.failOnReports();
			methods.failCompletablyOnReports();
			methods.succeedOnReports().get(30, TimeUnit.SECONDS);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaits.count(() -> registry.get("executor").tag("name", "reports").timer().count(), 3);
			assertThat(registry.get("executor.failed").tag("name", "reports").functionCounter().count()).isEqualTo(2);
			assertThat(context.getBean(AsyncConfiguration.class).handled).hasValue(1);
		});
	}

	@Test
	void methodRunInTheCallerByAnExecutorThreadLensDoesNotWrapFailsNoTaskOfAnother() {
		this.runner.run((context) -> {
			AsyncMethods methods = context.getBean(AsyncMethods.class);
			ThreadPoolTaskExecutor orders = context.getBean("orders", ThreadPoolTaskExecutor.class);
			// A task on orders calls a method that SyncTaskExecutor runs in that task's
			// thread; the method submits a task to orders, then fails.
			orders.execute(() -> methods.failInline(orders));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaits.count(() -> registry.get("executor").tag("name", "orders").timer().count(), 2);
			assertThat(context.getBean(AsyncConfiguration.class).handled).hasValue(1);
			assertThat(registry.get("executor.failed").tag("name", "orders").functionCounter().count()).isZero();
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration implements AsyncConfigurer {

		final AtomicInteger handled = new AtomicInteger();

		@Bean
		ExecutorService reports() {
			return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10));
		}

		@Bean
		ThreadPoolTaskExecutor orders(ThreadLens threadLens) {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setTaskDecorator(threadLens.decorate("orders", null));
			return executor;
		}

		@Bean
		SyncTaskExecutor inline() {
			return new SyncTaskExecutor();
		}

		@Bean
		AsyncMethods asyncMethods() {
			return new AsyncMethods();
		}

		@Override
		public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
			return (ex, method, params) -> this.handled.incrementAndGet();
		}

	}

	static class AsyncMethods {

		@Async("reports")
		public void failOnReports() {
			throw new IllegalStateException("void method fails");
		}

		@Async("reports")
		public CompletableFuture<String> failCompletablyOnReports() {
			return CompletableFuture.failedFuture(new IllegalStateException("future fails"));
		}

		@Async("reports")
		public CompletableFuture<String> succeedOnReports() {
			return CompletableFuture.completedFuture("done");
		}

		@Async("inline")
		public void failInline(ThreadPoolTaskExecutor orders) {
			orders.execute(() -> {
			});
			throw new IllegalStateException("fails after submitting");
		}

	}

}
