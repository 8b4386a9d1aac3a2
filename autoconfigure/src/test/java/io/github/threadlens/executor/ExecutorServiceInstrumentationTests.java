package io.github.threadlens.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensExecutorAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensMicrometerAutoConfiguration;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Jdk;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Plain {@code ExecutorService} beans, fork-join pools, the common pool and one-thread-per-task
 * executors found and instrumented in a real context, each keeping its class and behaviour.
 */
class ExecutorServiceInstrumentationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
				ThreadLensExecutorAutoConfiguration.class))
		.withPropertyValues("threadlens.census.max-age=0s");

	@Test
	void executorServiceBeanKeepsItsFactoryAndPolicyWhileTimed() {
		this.runner.withUserConfiguration(ReportsConfiguration.class).run((context) -> {
			ExecutorService pool = context.getBean("reportsPool", ExecutorService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);

			CountDownLatch running = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			String[] workerName = new String[1];
			pool.execute(() -> {
				workerName[0] = Thread.currentThread().getName();
				running.countDown();
				Awaits.hold(release);
			});
			assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
			List<Future<String>> queued = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				queued.add(pool.submit(() -> "queued"));
			}
			long lastQueued = System.nanoTime();
			assertThat(registry.get("executor.queued").tag("name", "reportsPool").gauge().value()).isEqualTo(3);
			assertThat(registry.get("executor.active").tag("name", "reportsPool").gauge().value()).isEqualTo(1);
			assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> pool.submit(() -> "refused"));
			assertThat(ReportsConfiguration.rejectedByPolicy).hasValue(1);
			// The worker counts under the bean's name, not its 'reports-' prefix, once parked.
			ThreadCensus census = context.getBean(ThreadCensus.class);
			Awaits.count(() -> census.snapshot().count("reportsPool", Thread.State.WAITING), 1);

			Thread.sleep(30);
			long heldFor = System.nanoTime() - lastQueued;
			release.countDown();
			for (Future<String> future : queued) {
				assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo("queued");
			}
			assertThat(workerName[0]).as("the user's thread factory still names the threads").startsWith("reports-");
			Timer idle = registry.get("executor.idle").tag("name", "reportsPool").timer();
			Awaits.count(() -> registry.get("executor").tag("name", "reportsPool").timer().count(), 4);
			assertThat(idle.count()).isEqualTo(4);
			assertThat(idle.max(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(heldFor);
			assertThat(registry.get("executor.rejected").tag("name", "reportsPool").functionCounter().count())
				.isEqualTo(1);
		});
	}

	@Test
	void forkJoinPoolBeanIsTimedAndGauged() {
		this.runner.withUserConfiguration(ForkJoinConfiguration.class).run((context) -> {
			ExecutorService pool = context.getBean("crunchPool", ExecutorService.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			CountDownLatch done = new CountDownLatch(1);
			pool.execute(done::countDown);
			assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
			List<Callable<Integer>> tasks = List.of(() -> 1, () -> 2);
			assertThat(pool.invokeAll(tasks)).hasSize(2);
			assertThat(pool.submit(() -> 3).get(30, TimeUnit.SECONDS)).isEqualTo(3);
			Awaits.count(() -> registry.get("executor").tag("name", "crunchPool").timer().count(), 4);
			assertThat(registry.get("executor.parallelism").tag("name", "crunchPool").gauge().value()).isEqualTo(3);
			// Submitted from outside the pool, each task is taken from a submission queue: a steal.
			Awaits.count(() -> registry.get("executor.steals").tag("name", "crunchPool").functionCounter().count(), 4);
		});
	}

	@Test
	void scheduledExecutorBeanTimesSubmissionsAndStillSchedules() {
		this.runner.withUserConfiguration(ScheduledConfiguration.class).run((context) -> {
			ScheduledExecutorService scheduler = context.getBean("cleanupScheduler", ScheduledExecutorService.class);
			assertThat(scheduler.submit(() -> "now").get(30, TimeUnit.SECONDS)).isEqualTo("now");
			assertThat(scheduler.schedule(() -> "later", 10, TimeUnit.MILLISECONDS).get(30, TimeUnit.SECONDS))
				.isEqualTo("later");
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaits.count(() -> registry.get("executor").tag("name", "cleanupScheduler").timer().count(), 1);
			assertThat(registry.get("executor.pool.core").tag("name", "cleanupScheduler").gauge().value())
				.isEqualTo(2);
		});
	}

	@Test
	void beanDeclaredAsThreadPoolExecutorStaysTheSameObjectGaugedAndCountedButUntimed() {
		this.runner.withUserConfiguration(ClassDeclaredConfiguration.class).run((context) -> {
			ThreadPoolExecutor pool = context.getBean("exportPool", ThreadPoolExecutor.class);
			assertThat(pool).isSameAs(context.getBean(ClassDeclaredConfiguration.class).created);
			CountDownLatch release = new CountDownLatch(1);
			pool.execute(() -> Awaits.hold(release));
			assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> pool.execute(() -> {
			}));
			release.countDown();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("executor.rejected").tag("name", "exportPool").functionCounter().count())
				.isEqualTo(1);
			assertThat(registry.get("executor.pool.max").tag("name", "exportPool").gauge().value()).isEqualTo(1);
			assertThat(registry.get("executor").tag("name", "exportPool").timer().count()).isZero();
		});
	}

	@Test
	void commonPoolIsGaugedAndCanBeExcluded() {
		this.runner.run((context) -> assertThat(context.getBean(MeterRegistry.class)
			.get("executor.parallelism")
			.tag("name", "ForkJoinPool.commonPool")
			.gauge()
			.value()).isEqualTo(ForkJoinPool.getCommonPoolParallelism()));
		this.runner.withPropertyValues("threadlens.executors.exclude=ForkJoinPool.*")
			.run((context) -> assertThat(context.getBean(MeterRegistry.class)
				.find("executor.parallelism")
				.tag("name", "ForkJoinPool.commonPool")
				.gauge()).isNull());
	}

	@Test
	void threadPerTaskExecutorReportsItsRunningTasksAsActive() {
		this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(ThreadPerTaskConfiguration.class)
			.run((context) -> assertRunningTasksAreActive(context.getBean("mailExecutor", SimpleAsyncTaskExecutor.class),
					context.getBean(MeterRegistry.class), "mailExecutor", "executor.active"));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
	void virtualThreadExecutorReportsItsLiveVirtualThreads() {
		// Boot's builder builds on virtual threads when they are enabled.
		this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(ThreadPerTaskConfiguration.class)
			.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertRunningTasksAreActive(
					context.getBean("mailExecutor", SimpleAsyncTaskExecutor.class),
					context.getBean(MeterRegistry.class), "mailExecutor", "jvm.threads.virtual.active"));
	}

	@Test
	void excludedExecutorServiceBeanIsTheOriginalObject() {
		this.runner.withUserConfiguration(ReportsConfiguration.class)
			.withPropertyValues("threadlens.executors.exclude=reports*")
			.run((context) -> {
				assertThat(context.getBean("reportsPool")).isSameAs(context.getBean(ReportsConfiguration.class).created);
				assertThat(context.getBean(MeterRegistry.class).find("executor").tag("name", "reportsPool").timers())
					.isEmpty();
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
	void executorBuiltOnVirtualThreadsIsKnownAsSuchFromItsFirstTask() {
		// Spring offers no getter for it, and spring.threads.virtual.enabled is off.
		this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(VirtualBuilderConfiguration.class)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				SimpleAsyncTaskExecutor executor = context.getBean("virtualMailExecutor", SimpleAsyncTaskExecutor.class);
				assertThat(registry.get("executor.active").tag("name", "virtualMailExecutor").gauge().value())
					.as("before its first task, taken for platform threads").isZero();
				assertRunningTasksAreActive(executor, registry, "virtualMailExecutor", "jvm.threads.virtual.active");
				assertThat(registry.find("executor.active").tag("name", "virtualMailExecutor").gauges()).isEmpty();
			});
	}

	private static void assertRunningTasksAreActive(SimpleAsyncTaskExecutor executor, MeterRegistry registry,
			String name, String active) throws InterruptedException {
		CountDownLatch running = new CountDownLatch(3);
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < 3; i++) {
			executor.execute(() -> {
				running.countDown();
				Awaits.hold(release);
			});
		}
		assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(registry.get(active).tag("name", name).gauge().value()).isEqualTo(3);
		release.countDown();
		Awaits.count(() -> registry.get("executor").tag("name", name).timer().count(), 3);
		assertThat(registry.get(active).tag("name", name).gauge().value()).isZero();
		assertThat(registry.get("executor.idle").tag("name", name).timer().count()).isEqualTo(3);
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportsConfiguration {

		static final AtomicInteger rejectedByPolicy = new AtomicInteger();

		ExecutorService created;

		@Bean(destroyMethod = "shutdownNow")
		ExecutorService reportsPool() {
			rejectedByPolicy.set(0);
			AtomicInteger threads = new AtomicInteger();
			ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(3),
					(task) -> new Thread(task, "reports-" + threads.incrementAndGet()), (task, executor) -> {
						rejectedByPolicy.incrementAndGet();
						throw new RejectedExecutionException("reports are full");
					});
			this.created = pool;
			return pool;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ClassDeclaredConfiguration {

		ThreadPoolExecutor created;

		@Bean(destroyMethod = "shutdownNow")
		ThreadPoolExecutor exportPool() {
			this.created = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>());
			return this.created;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ForkJoinConfiguration {

		@Bean(destroyMethod = "shutdownNow")
		ExecutorService crunchPool() {
			return new ForkJoinPool(3);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ScheduledConfiguration {

		@Bean(destroyMethod = "shutdownNow")
		ScheduledExecutorService cleanupScheduler() {
			return new ScheduledThreadPoolExecutor(2);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadPerTaskConfiguration {

		@Bean
		SimpleAsyncTaskExecutor mailExecutor(SimpleAsyncTaskExecutorBuilder builder) {
			return builder.threadNamePrefix("mail-").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class VirtualBuilderConfiguration {

		@Bean
		SimpleAsyncTaskExecutor virtualMailExecutor(SimpleAsyncTaskExecutorBuilder builder) {
			return builder.threadNamePrefix("virtual-mail-").virtualThreads(true).build();
		}

	}

}
