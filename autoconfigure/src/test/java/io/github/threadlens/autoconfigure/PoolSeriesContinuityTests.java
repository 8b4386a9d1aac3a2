package io.github.threadlens.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.threadlens.testsupport.RealThreads;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pool that exists is in every scrape: while new pools start and end around them, as a
 * WebFlux application's {@code boundedElastic} workers and per-request executors do, a real
 * {@link PrometheusMeterRegistry} is scraped in a loop, each scrape taking a new census, and
 * every scrape has the series of every pool that lived through it.
 */
class PoolSeriesContinuityTests {

	private static final int SCRAPES = 300;

	private static final List<String> STABLE_POOLS = List.of("parallel", "reactor-http-nio", "orders");

	private static final Pattern POOL_STATES = Pattern
		.compile("(?m)^jvm_threads_pool_states_threads\\{[^}]*pool=\"([^\"]+)\"[^}]*} (\\S+)$");

	private final RealThreads threads = new RealThreads();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class))
		.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
		.withPropertyValues("threadlens.census.max-age=0s");

	@AfterEach
	void stopThreads() throws Exception {
		this.threads.close();
	}

	@Test
	void everyPoolThatLivesThroughAScrapeIsInIt() throws Exception {
		this.threads.start(4, (i) -> "parallel-" + i, Thread.State.WAITING);
		this.threads.start(2, (i) -> "reactor-http-nio-" + i, Thread.State.TIMED_WAITING);
		this.threads.start(3, (i) -> "orders-" + i, Thread.State.WAITING);
		this.runner.run((context) -> {
			PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
			AtomicBoolean churning = new AtomicBoolean(true);
			AtomicInteger started = new AtomicInteger();
			Thread churn = new Thread(() -> churn(churning, started), "churn-driver");
			churn.start();
			List<String> missing = new ArrayList<>();
			try {
				for (int scrape = 0; scrape < SCRAPES; scrape++) {
					Map<String, Double> pools = poolSizes(registry.scrape());
					for (String pool : STABLE_POOLS) {
						if (!pools.containsKey(pool)) {
							missing.add("scrape " + scrape + ": " + pool + " missing among " + pools.keySet());
						}
					}
				}
			}
			finally {
				churning.set(false);
				churn.join(TimeUnit.SECONDS.toMillis(30));
			}
			assertThat(started.get()).as("pools started and ended during the scrapes").isGreaterThan(10);
			assertThat(missing).isEmpty();
		});
	}

	/**
	 * Start executors one after another, each a new pool of the JDK's naming and of Reactor's
	 * ({@code boundedElastic-N}), whose threads run one short task and end.
	 */
	private static void churn(AtomicBoolean churning, AtomicInteger started) {
		while (churning.get()) {
			ExecutorService pool = Executors.newFixedThreadPool(2);
			int n = started.incrementAndGet();
			Thread elastic = new Thread(() -> sleep(2), "boundedElastic-" + n);
			elastic.start();
			CountDownLatch ran = new CountDownLatch(2);
			for (int i = 0; i < 2; i++) {
				pool.execute(() -> {
					sleep(2);
					ran.countDown();
				});
			}
			try {
				ran.await(10, TimeUnit.SECONDS);
				elastic.join(10_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			finally {
				pool.shutdownNow();
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The threads of each pool in a scrape, summed over its states. */
	private static Map<String, Double> poolSizes(String scrape) {
		Map<String, Double> sizes = new TreeMap<>();
		Matcher series = POOL_STATES.matcher(scrape);
		while (series.find()) {
			sizes.merge(series.group(1), Double.parseDouble(series.group(2)), Double::sum);
		}
		return sizes;
	}

}
