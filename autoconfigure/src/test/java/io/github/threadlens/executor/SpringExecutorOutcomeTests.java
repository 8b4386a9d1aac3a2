package io.github.threadlens.executor;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensExecutorAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensMicrometerAutoConfiguration;
import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million tasks from eight submitters through the executor beans ThreadLens instruments in
 * a real context: a {@code ThreadPoolTaskExecutor} built from Boot's builder and changed in place, under each rejection
 * policy, and an {@code ExecutorService} bean behind its proxy. The test counts what became of
 * every task; the meters of Boot's Prometheus registry, read and scraped, agree exactly, and
 * Boot's own {@code executor.completed} counts the failed runs too.
 */
class SpringExecutorOutcomeTests {

	private static final int PER_SUBMITTER = 125_000;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				PrometheusMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				TaskExecutorMetricsAutoConfiguration.class, ThreadLensCensusAutoConfiguration.class,
				ThreadLensMicrometerAutoConfiguration.class, ThreadLensExecutorAutoConfiguration.class));

	@ParameterizedTest
	@EnumSource
	void threadPoolTaskExecutorBean(RejectionPolicy policy) {
		TaskLedger ledger = new TaskLedger();
		PolicyExecutorConfiguration.policy = policy;
		PolicyExecutorConfiguration.ledger = ledger;
		this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class))
			.withUserConfiguration(PolicyExecutorConfiguration.class)
			.run((context) -> {
				String name = "policyExecutor";
				ThreadPoolTaskExecutor executor = context.getBean(name, ThreadPoolTaskExecutor.class);
				ledger.submitAll(PER_SUBMITTER, executor::execute);
				ThreadPoolExecutor pool = executor.getThreadPoolExecutor();
				pool.shutdown();
				assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

				PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
				Outcomes expected = ledger.expected();
				assertThat(Outcomes.published(registry, name)).as(ledger.toString()).isEqualTo(expected);
				String scrape = registry.scrape();
				assertThat(Outcomes.scraped(scrape, name)).as(ledger.toString()).isEqualTo(expected);
				assertThat(expected.runs() + expected.rejected()).isEqualTo(ledger.submitted());
				assertThat((long) Scrapes.value(scrape, "executor_completed_tasks_total", "name=\"" + name + "\""))
					.as("Boot's executor.completed: runs by the pool's threads, failed ones included")
					.isEqualTo(ledger.ranOnPool());
			});
	}

	// Behind the proxy is the executor RejectionPolicyOutcomeTests checks under every policy:
	// here, the two whose refused tasks still run, through the proxy and Boot's registry.
	@ParameterizedTest
	@EnumSource(names = { "CALLER_RUNS", "DISCARD_OLDEST" })
	void executorServiceBean(RejectionPolicy policy) {
		TaskLedger ledger = new TaskLedger();
		this.runner.withBean(policy.label(), ExecutorService.class,
				() -> new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
						TaskLedger.quietThreads(policy.label()), policy.handler(ledger)))
			.run((context) -> {
				ExecutorService executor = context.getBean(policy.label(), ExecutorService.class);
				ledger.submitAll(PER_SUBMITTER, executor::execute);
				executor.shutdown();
				assertThat(executor.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

				PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
				Outcomes expected = ledger.expected();
				assertThat(Outcomes.published(registry, policy.label())).as(ledger.toString()).isEqualTo(expected);
				assertThat(Outcomes.scraped(registry.scrape(), policy.label())).as(ledger.toString())
					.isEqualTo(expected);
				assertThat(expected.runs() + expected.rejected()).isEqualTo(ledger.submitted());
			});
	}

	/** The application's own executor, built from Boot's builder, under the policy on test. */
	@Configuration(proxyBeanMethods = false)
	static class PolicyExecutorConfiguration {

		static volatile RejectionPolicy policy;

		static volatile TaskLedger ledger;

		@Bean
		ThreadPoolTaskExecutor policyExecutor(ThreadPoolTaskExecutorBuilder builder) {
			ThreadPoolTaskExecutor executor = builder.corePoolSize(2).maxPoolSize(2).queueCapacity(64).build();
			executor.setThreadFactory(TaskLedger.quietThreads(policy.label()));
			executor.setRejectedExecutionHandler(policy.handler(ledger));
			return executor;
		}

	}

}
