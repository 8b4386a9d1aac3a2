package io.github.threadlens.executor;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensExecutorAutoConfiguration;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.autoconfigure.ThreadLensMicrometerAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensOpenTelemetryAutoConfiguration;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.InMemoryOpenTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * ThreadPoolTaskExecutor beans found and instrumented in a real context, keeping their type,
 * their task decorator and their rejection policy: timed when Boot's builders built them or
 * when they were given ThreadLens's decorator, their rejections and threads counted always.
 */
class TaskExecutorInstrumentationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class, ThreadLensCensusAutoConfiguration.class,
				ThreadLensMicrometerAutoConfiguration.class, ThreadLensExecutorAutoConfiguration.class))
		.withPropertyValues("threadlens.census.max-age=0s");

	@Test
	void userExecutorKeepsItsTypeDecoratorAndRejectionPolicy() {
		this.runner.withUserConfiguration(OrdersExecutorConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean("ordersExecutor", ThreadPoolTaskExecutor.class);
			assertThat(executor).isSameAs(context.getBean(OrdersExecutorConfiguration.class).created);
			assertThat(executor.getClass()).isEqualTo(ThreadPoolTaskExecutor.class);

			CountDownLatch release = new CountDownLatch(1);
			String[] seenByTask = new String[1];
			executor.execute(() -> {
				seenByTask[0] = OrdersExecutorConfiguration.MARKER.get();
				Awaits.hold(release);
			});
			executor.execute(() -> {
			});
			assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.execute(() -> {
			}));
			assertThat(OrdersExecutorConfiguration.rejectedByPolicy).hasValue(1);
			ThreadCensus census = context.getBean(ThreadCensus.class);
			Awaits.count(() -> census.snapshot().count("ordersExecutor", Thread.State.WAITING), 1);
			release.countDown();
			executor.getThreadPoolExecutor().shutdown();
			assertThat(executor.getThreadPoolExecutor().awaitTermination(30, TimeUnit.SECONDS)).isTrue();

			assertThat(seenByTask[0]).as("the user's decorator still runs around the task").isEqualTo("decorated");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("executor.idle").tag("name", "ordersExecutor").timer().count()).isEqualTo(2);
			assertThat(registry.get("executor").tag("name", "ordersExecutor").timer().count()).isEqualTo(2);
			assertThat(registry.get("executor.rejected").tag("name", "ordersExecutor").functionCounter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void executorsBuiltWithNewAreTimedOnlyWithThreadLensDecorator() {
		this.runner.withUserConfiguration(NewExecutorsConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor untimed = context.getBean("untimedExecutor", ThreadPoolTaskExecutor.class);
			ThreadPoolTaskExecutor decorated = context.getBean("decoratedExecutor", ThreadPoolTaskExecutor.class);
			CountDownLatch release = new CountDownLatch(1);
			String[] seenByTasks = new String[2];
			untimed.execute(() -> {
				seenByTasks[0] = OrdersExecutorConfiguration.MARKER.get();
				Awaits.hold(release);
			});
			assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> untimed.execute(() -> {
			}));
			release.countDown();
			decorated.submit(() -> seenByTasks[1] = OrdersExecutorConfiguration.MARKER.get()).get(30, TimeUnit.SECONDS);
			untimed.getThreadPoolExecutor().shutdown();
			assertThat(untimed.getThreadPoolExecutor().awaitTermination(30, TimeUnit.SECONDS)).isTrue();

			assertThat(seenByTasks).as("each executor keeps the decorator it was given").containsOnly("decorated");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("executor").tag("name", "untimedExecutor").timers()).isEmpty();
			assertThat(registry.get("executor.rejected").tag("name", "untimedExecutor").functionCounter().count())
				.isEqualTo(1);
			Awaits.count(() -> registry.get("executor").tag("name", "decoratedExecutor").timer().count(), 1);
		});
	}

	@Test
	void poolGaugesThatBootBindsOnMicrometerAreOnOpenTelemetryToo() {
		try (InMemoryOpenTelemetry otel = new InMemoryOpenTelemetry()) {
			this.runner
				.withConfiguration(AutoConfigurations.of(TaskExecutorMetricsAutoConfiguration.class,
						ThreadLensOpenTelemetryAutoConfiguration.class))
				.withBean(OpenTelemetry.class, otel::forContext)
				.withUserConfiguration(OrdersExecutorConfiguration.class)
				.run((context) -> {
					ThreadPoolTaskExecutor executor = context.getBean("ordersExecutor", ThreadPoolTaskExecutor.class);
					CountDownLatch release = new CountDownLatch(1);
					executor.execute(() -> Awaits.hold(release));
					executor.execute(() -> {
					});
					MeterRegistry registry = context.getBean(MeterRegistry.class);
					Awaits.count(() -> registry.get("executor.queued").tag("name", "ordersExecutor").gauge().value(),
							1.0);
					// Boot's binding alone on Micrometer, ThreadLens's on OpenTelemetry, the same values.
					assertThat(registry.find("executor.pool.max").tag("name", "ordersExecutor").gauges()).hasSize(1);
					assertThat(otel.collect(ThreadLensMeters.EXECUTOR_QUEUED))
						.containsEntry("{jvm.executor.name=ordersExecutor}", 1.0);
					assertThat(otel.collect(ThreadLensMeters.EXECUTOR_THREAD_COUNT))
						.containsEntry("{jvm.executor.name=ordersExecutor, jvm.executor.thread.state=active}", 1.0);
					assertThat(otel.collect(ThreadLensMeters.EXECUTOR_POOL_MAX)).containsEntry("{jvm.executor.name=ordersExecutor}",
							registry.get("executor.pool.max").tag("name", "ordersExecutor").gauge().value());
					release.countDown();
				});
		}
	}

	@Test
	void asyncMethodsAreTimedOnBootsApplicationTaskExecutor() {
		this.runner.withUserConfiguration(AsyncConfiguration.class).run((context) -> {
			AsyncService service = context.getBean(AsyncService.class);
			assertThat(service.work().get(30, TimeUnit.SECONDS)).isEqualTo("done");
			assertThatExceptionOfType(ExecutionException.class)
				.isThrownBy(() -> service.fail().get(30, TimeUnit.SECONDS));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaits.count(() -> registry.get("executor").tag("name", "applicationTaskExecutor").timer().count(), 2);
			assertThat(registry.get("executor.idle").tag("name", "applicationTaskExecutor").timer().count())
				.isEqualTo(2);
			assertThat(registry.get("executor.failed")
				.tag("name", "applicationTaskExecutor")
				.functionCounter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void scheduledTasksAreTimedOnBootsTaskScheduler() {
		this.runner.withConfiguration(AutoConfigurations.of(TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(SchedulingConfiguration.class)
			.run((context) -> {
				ThreadPoolTaskScheduler scheduler = context.getBean("taskScheduler", ThreadPoolTaskScheduler.class);
				assertThat(scheduler.getClass()).isEqualTo(ThreadPoolTaskScheduler.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				Ticker ticker = context.getBean(Ticker.class);
				Awaits.count(() -> Math.min(ticker.runs.get(), 3), 3);
				Awaits.count(() -> Math.min(registry.get("executor").tag("name", "taskScheduler").timer().count(), 3), 3);
				assertThat(registry.get("executor.idle").tag("name", "taskScheduler").timer().count()).isPositive();

				ScheduledFuture<?> failing = scheduler.schedule(() -> {
					throw new IllegalStateException("one-shot failure");
				}, Instant.now());
				assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failing.get(30, TimeUnit.SECONDS));
				Awaits.count(() -> (long) registry.get("executor.failed")
					.tag("name", "taskScheduler")
					.functionCounter()
					.count(), 1);
			});
	}

	@Test
	void submittedCallablesThatThrowCountAsFailed() {
		this.runner.withUserConfiguration(OrdersExecutorConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean("ordersExecutor", ThreadPoolTaskExecutor.class);
			Future<Object> failing = executor.submit(() -> {
				throw new IllegalStateException("fails");
			});
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failing.get(30, TimeUnit.SECONDS));
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaits.count(() -> registry.get("executor").tag("name", "ordersExecutor").timer().count(), 1);
			assertThat(registry.get("executor.failed").tag("name", "ordersExecutor").functionCounter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void excludedExecutorsAreLeftAlone() {
		this.runner.withUserConfiguration(OrdersExecutorConfiguration.class)
			.withPropertyValues("threadlens.executors.exclude=orders*")
			.run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean("ordersExecutor", ThreadPoolTaskExecutor.class);
				executor.submit(() -> "done").get(30, TimeUnit.SECONDS);
				assertThat(context.getBean(MeterRegistry.class).find("executor").tag("name", "ordersExecutor").timers())
					.isEmpty();
				assertThat(executor.getThreadPoolExecutor().getRejectedExecutionHandler())
					.isNotInstanceOf(CountingRejectionHandler.class);
			});
	}

	/** The application's own executor, built from Boot's builder, with a decorator bean. */
	@Configuration(proxyBeanMethods = false)
	static class OrdersExecutorConfiguration {

		static final ThreadLocal<String> MARKER = new ThreadLocal<>();

		static final AtomicInteger rejectedByPolicy = new AtomicInteger();

		ThreadPoolTaskExecutor created;

		@Bean
		TaskDecorator markingDecorator() {
			return marking();
		}

		@Bean
		ThreadPoolTaskExecutor ordersExecutor(ThreadPoolTaskExecutorBuilder builder) {
			rejectedByPolicy.set(0);
			ThreadPoolTaskExecutor executor = builder.corePoolSize(1)
				.maxPoolSize(1)
				.queueCapacity(1)
				.threadNamePrefix("orders-")
				.build();
			executor.setRejectedExecutionHandler((task, pool) -> {
				rejectedByPolicy.incrementAndGet();
				throw new RejectedExecutionException("full");
			});
			this.created = executor;
			return executor;
		}

		static TaskDecorator marking() {
			return (task) -> () -> {
				MARKER.set("decorated");
				try {
					task.run();
				}
				finally {
					MARKER.remove();
				}
			};
		}

	}

	/** Executors built with {@code new}, whose decorator Spring offers no way to read. */
	@Configuration(proxyBeanMethods = false)
	static class NewExecutorsConfiguration {

		@Bean
		ThreadPoolTaskExecutor untimedExecutor() {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(1);
			executor.setMaxPoolSize(1);
			executor.setQueueCapacity(0);
			executor.setTaskDecorator(OrdersExecutorConfiguration.marking());
			return executor;
		}

		@Bean
		ThreadPoolTaskExecutor decoratedExecutor(ThreadLens threadLens) {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setTaskDecorator(threadLens.decorate("decoratedExecutor", OrdersExecutorConfiguration.marking()));
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

		@Bean
		Ticker ticker() {
			return new Ticker();
		}

	}

	static class Ticker {

		final AtomicInteger runs = new AtomicInteger();

		@Scheduled(fixedRate = 10)
		void tick() {
			this.runs.incrementAndGet();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	static class AsyncConfiguration {

		@Bean
		AsyncService asyncService() {
			return new AsyncService();
		}

	}

	static class AsyncService {

		@Async
		public CompletableFuture<String> work() {
			return CompletableFuture.completedFuture("done");
		}

		@Async
		public CompletableFuture<String> fail() {
			throw new IllegalStateException("async failure");
		}

	}

}
