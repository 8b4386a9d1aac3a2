package io.github.threadlens.executor;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.export.micrometer.MicrometerTimerSink;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.testsupport.Awaits;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A million tasks from eight submitters into a small bounded pool, through the executor
 * ThreadLens wraps, under each rejection policy and a handler of the application's own: the
 * test counts what it submitted, what ran where, what failed and what was dropped, and the
 * meters of a real Prometheus registry, read and scraped, agree exactly.
 */
class RejectionPolicyOutcomeTests {

	private static final int PER_SUBMITTER = 125_000;

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final ExecutorMonitors monitors = new ExecutorMonitors(
			new TimerSinks(List.of(new MicrometerTimerSink(this.registry))), new ThreadAttribution(),
			List.of(Duration.ofMillis(1), Duration.ofSeconds(1)));

	@BeforeEach
	void bind() {
		new ObservedMeterBinder(List.of(this.monitors.meters())).bindTo(this.registry);
	}

	@ParameterizedTest
	@EnumSource
	void everyTaskHasExactlyOneOutcome(RejectionPolicy policy) throws Exception {
		TaskLedger ledger = new TaskLedger();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64),
				TaskLedger.quietThreads(policy.label()), policy.handler(ledger));
		ExecutorService executor = this.monitors.monitor(pool, policy.label());
		ledger.submitAll(PER_SUBMITTER, executor::execute);
		pool.shutdown();
		assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

		Outcomes expected = ledger.expected();
		assertThat(Outcomes.published(this.registry, policy.label())).as(ledger.toString()).isEqualTo(expected);
		assertThat(Outcomes.scraped(this.registry.scrape(), policy.label())).as(ledger.toString()).isEqualTo(expected);
		assertThat(expected.runs() + expected.rejected()).isEqualTo(ledger.submitted());
		assertThat(expected.failed()).isPositive();
		assertThat(expected.rejected()).isPositive();
		assertThat(pool.getCompletedTaskCount()).as("what executor.completed reads: runs by the pool's threads, "
				+ "failed ones included").isEqualTo(ledger.ranOnPool());
	}

	@Test
	void tasksDrainedByShutdownNowAreNeitherRunNorRejected() throws Exception {
		TaskLedger ledger = new TaskLedger();
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				TaskLedger.quietThreads("drained"));
		ExecutorService executor = this.monitors.monitor(pool, "drained");
		// Never released: a task holds the only worker until shutdownNow interrupts it, so
		// that the queue is full of tasks to drain.
		CountDownLatch never = new CountDownLatch(1);
		AtomicInteger submissions = new AtomicInteger();
		ledger.submitAll(PER_SUBMITTER, (task) -> {
			if (submissions.incrementAndGet() == TaskLedger.SUBMITTERS * PER_SUBMITTER * 7 / 8) {
				ledger.drained(executor.shutdownNow().size());
			}
			executor.execute((task.index() == 1001) ? () -> {
				task.run();
				Awaits.hold(never);
			} : task);
		});
		assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();

		Outcomes expected = ledger.expected();
		assertThat(Outcomes.published(this.registry, "drained")).as(ledger.toString()).isEqualTo(expected);
		assertThat(ledger.drained()).isPositive();
		assertThat(ledger.dropped()).isZero();
		assertThat(expected.runs() + expected.rejected() + ledger.drained()).isEqualTo(ledger.submitted());
	}

}
