package io.github.threadlens.autoconfigure;

import java.net.http.HttpResponse;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.threadlens.ThreadLens;
import io.github.threadlens.testsupport.Promtool;
import io.github.threadlens.testsupport.RealThreads;
import io.github.threadlens.testsupport.Scrapes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A real application with the real Prometheus registry, scraped over HTTP, its output
 * linted by promtool.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=prometheus", "threadlens.census.max-age=0s" })
class PrometheusScrapeIntegrationTests {

	private static final RealThreads threads = new RealThreads();

	@LocalServerPort
	private int port;

	@Autowired
	private ThreadLens threadLens;

	@BeforeAll
	static void startThreads() {
		threads.start("scrape-orders", 4, Thread.State.WAITING);
		threads.start("scrape-billing", 3, Thread.State.TIMED_WAITING);
		threads.start("scrape-inventory", 2, Thread.State.BLOCKED);
		threads.start("scrape-io", 2, Thread.State.RUNNABLE);
	}

	@AfterAll
	static void stopThreads() throws Exception {
		threads.close();
	}

	@Test
	void scrapeShowsPerPoolStatesWithExactCounts() throws Exception {
		HttpResponse<String> response = Scrapes.prometheus(this.port);
		assertThat(response.statusCode()).isEqualTo(200);
		String scrape = response.body();
		assertThat(scrape).contains("# HELP jvm_threads_pool_states_threads")
			.contains("# TYPE jvm_threads_pool_states_threads gauge");
		double value = Scrapes.value(scrape, "jvm_threads_pool_states_threads", "pool=\"scrape-orders\",state=\"waiting\"");
		assertThat(value).isEqualTo(4);
		assertThat(Scrapes.value(scrape, "jvm_threads_pool_states_threads",
				"pool=\"scrape-billing\",state=\"timed-waiting\"")).isEqualTo(3);
		assertThat(Scrapes.value(scrape, "jvm_threads_pool_states_threads",
				"pool=\"scrape-inventory\",state=\"blocked\"")).isEqualTo(2);
		assertThat(Scrapes.value(scrape, "jvm_threads_pool_states_threads", "pool=\"scrape-io\",state=\"runnable\""))
			.isEqualTo(2);
		// Tomcat numbers its connectors per JVM: which one this context got depends on the
		// tests that ran before.
		assertThat(Scrapes.labelValues(scrape, "jvm_threads_pool_states_threads", "pool")).contains("main")
			.anySatisfy((pool) -> assertThat(pool).matches("http-nio-auto-\\d+-exec"));
		assertThat(Scrapes.labelValues(scrape, "jvm_threads_states_threads", "state")).containsExactlyInAnyOrder(
				"new", "runnable", "blocked", "waiting", "timed-waiting", "terminated");
		assertThat(scrape).contains("threadlens_cardinality_overflow_total{meter=\"jvm.threads.pool.states\"} 0");
	}

	@Test
	void threadLensEndpointIsNotExposedUnlessIncluded() throws Exception {
		HttpResponse<String> response = Scrapes.get(this.port, "/actuator/threadlens");
		assertThat(response.statusCode()).isEqualTo(404);
	}

	@Test
	void scrapePassesPromtoolCheckMetrics() throws Exception {
		String scrape = Scrapes.prometheus(this.port).body();
		// Exit code 1 is a parse error; 3 is lint advice, which Boot's own meters draw
		// (tomcat_* without help, jvm_compilation_time_ms_total). None may be about ours.
		Promtool.Result whole = Promtool.checkMetrics(scrape);
		assertThat(whole.exitCode()).as(whole.output()).isIn(0, 3);
		assertThat(whole.output().lines()).noneMatch(PrometheusScrapeIntegrationTests::isThreadLensFamily);
		String ours = scrape.lines()
			.filter((line) -> isThreadLensFamily(line.replaceFirst("^# (HELP|TYPE) ", "")))
			.collect(Collectors.joining("\n", "", "\n"));
		assertThat(ours).contains("jvm_threads_pool_states_threads{").contains("threadlens_cardinality_overflow_total{");
		Promtool.Result strict = Promtool.checkMetrics(ours);
		assertThat(strict.exitCode()).as(strict.output()).isZero();
	}

	@Test
	void scrapeShowsExecutorHistogramsAndRejections() throws Exception {
		ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
		ExecutorService executor = this.threadLens.monitor(pool, "scraped-executor");
		CountDownLatch release = new CountDownLatch(1);
		executor.execute(() -> {
			try {
				release.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		executor.execute(() -> {
		});
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> executor.execute(() -> {
		}));
		release.countDown();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (pool.getCompletedTaskCount() < 2 && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}

		String scrape = Scrapes.prometheus(this.port).body();
		assertThat(Scrapes.value(scrape, "executor_idle_seconds_count", "name=\"scraped-executor\"")).isEqualTo(2);
		assertThat(Scrapes.value(scrape, "executor_seconds_count", "name=\"scraped-executor\"")).isEqualTo(2);
		assertThat(Scrapes.value(scrape, "executor_idle_seconds_bucket", "name=\"scraped-executor\",le=\"+Inf\""))
			.isEqualTo(2);
		assertThat(Scrapes.value(scrape, "executor_rejected_tasks_total", "name=\"scraped-executor\""))
			.isEqualTo(1);
		assertThat(Scrapes.value(scrape, "executor_failed_tasks_total", "name=\"scraped-executor\"")).isZero();
		assertThat(Scrapes.value(scrape, "executor_completed_tasks_total", "name=\"scraped-executor\"")).isEqualTo(2);
		assertThat(Scrapes.value(scrape, "executor_pool_max_threads", "name=\"scraped-executor\"")).isEqualTo(1);

		pool.shutdown();
		assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
		String lastSeen = Scrapes.prometheus(this.port).body();
		assertThat(Scrapes.value(lastSeen, "executor_completed_tasks_total", "name=\"scraped-executor\""))
			.as("the scrape that finds the pool terminated reports its final count, not a reset")
			.isEqualTo(2);
		assertThat(Scrapes.prometheus(this.port).body()).as("a terminated pool leaves no gauge behind")
			.doesNotContain("executor_completed_tasks_total{name=\"scraped-executor\"}")
			.doesNotContain("executor_pool_max_threads{name=\"scraped-executor\"}")
			.contains("executor_seconds_count{name=\"scraped-executor\"} 2");
	}

	private static boolean isThreadLensFamily(String line) {
		return line.startsWith("jvm_threads_") || line.startsWith("threadlens_") || line.startsWith("executor_idle_")
				|| line.startsWith("executor_seconds") || line.startsWith("executor_failed_")
				|| line.startsWith("executor_rejected_") || line.startsWith("executor_completed_")
				|| line.startsWith("executor_active_") || line.startsWith("executor_queue")
				|| line.startsWith("executor_pool_");
	}

	@SpringBootApplication
	static class ScrapedApplication {

	}

}
