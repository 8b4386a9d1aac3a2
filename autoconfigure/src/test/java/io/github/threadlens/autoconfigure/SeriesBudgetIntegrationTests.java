package io.github.threadlens.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.threadlens.cardinality.SeriesLimits;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.MeterKind;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.export.otel.ThreadLensViews;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.CappedSeries;
import io.github.threadlens.testsupport.InMemoryOpenTelemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pool-name churn against the series budget: 10,000 short-lived executors named as the JDK
 * names them ({@code Executors.newFixedThreadPool} per unit of work, threads
 * {@code pool-N-thread-1}), each parking and contending on a monitor so that JFR and
 * contention monitoring see it, while a real {@link PrometheusMeterRegistry} is scraped every
 * few milliseconds and the OpenTelemetry SDK collected. Every family tagged by pool holds no
 * more pool values than the caps allow, the scrape stays within the bound they give, and when
 * the churn stops the scrape returns to its steady count.
 */
class SeriesBudgetIntegrationTests {

	private static final int MAX_POOLS = 16;

	private static final int MAX_CLASSES = 4;

	private static final int DEPTH_RANGES = 4;

	private static final long GRACE_MILLIS = 1000;

	private static final int WARM_UP_POOLS = 300;

	private static final int CHURNED_POOLS = 10_000;

	// Pools alive at once; each lives long enough for JFR, which delivers events about once a
	// second, to record its events while it is still published.
	private static final int CONCURRENT_POOLS = 800;

	private static final long POOL_LIFE_MILLIS = 1200;

	private static final AttributeKey<Boolean> OTEL_OVERFLOW = AttributeKey.booleanKey("otel.metric.overflow");

	private static final AttributeKey<String> POOL = AttributeKey.stringKey(ThreadLensMeters.POOL);

	private final SeriesLimits limits = new SeriesLimits(MAX_POOLS, MAX_CLASSES, DEPTH_RANGES);

	private final InMemoryOpenTelemetry otel = new InMemoryOpenTelemetry(new ThreadLensViews(this.limits));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensBlockingAutoConfiguration.class,
				ThreadLensMicrometerAutoConfiguration.class, ThreadLensOpenTelemetryAutoConfiguration.class))
		.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
		.withBean(OpenTelemetry.class, this.otel::forContext)
		.withPropertyValues("threadlens.cardinality.max-pools=" + MAX_POOLS,
				"threadlens.cardinality.max-classes=" + MAX_CLASSES,
				"threadlens.cardinality.grace-period=" + GRACE_MILLIS + "ms", "threadlens.census.max-age=100ms",
				"threadlens.sampling.interval=250ms", "threadlens.sampling.cpu-budget=0.5",
				// Parks of a few milliseconds become JFR events.
				"threadlens.jfr.threshold=1ms",
				// The JVM's and the test's own threads as one pool, so that only the churned
				// executors come and go.
				"threadlens.pools.rules[0].pattern=(?!pool-\\d+-thread-\\d+$).*",
				"threadlens.pools.rules[0].name=ambient");

	@AfterEach
	void closeOpenTelemetry() {
		this.otel.close();
	}

	@Test
	void churnedPoolsStayWithinTheBudgetAndLeaveNoSeriesBehind() {
		this.runner.run((context) -> {
			PrometheusMeterRegistry registry = context.getBean(PrometheusMeterRegistry.class);
			// Once, so that the series the churn brings to pools that stay (other, the
			// classes it parks on) are there before the steady count is taken.
			churn(WARM_UP_POOLS);
			Thread.sleep(GRACE_MILLIS + 1000);
			String steadyScrape = registry.scrape();
			long steady = series(steadyScrape);
			Map<String, Long> steadyOtel = otelPoints(this.otel.collectAll());
			Readers readers = new Readers(registry, this.otel);
			try {
				churn(CHURNED_POOLS);
			}
			finally {
				readers.close();
			}
			String lastScrape = Awaits.until(registry::scrape,
					(scrape) -> perFamily(scrape).equals(perFamily(steadyScrape)));
			long after = series(lastScrape);
			Map<String, Long> otelAfter = otelPoints(this.otel.collectAll());
			long bound = bound();
			System.out.printf("Series budget, %d pools churned (max-pools %d, max-classes %d, grace period %d ms):%n"
					+ "  scrape lines: bound %d, steady %d, max %d, after %d (without the test's own threads: %d, %d)%n"
					+ "  pool values held, max per family: %s%n"
					+ "  OpenTelemetry points: max %d; of the pool families steady %s, after %s%n",
					CHURNED_POOLS, MAX_POOLS, MAX_CLASSES, GRACE_MILLIS, bound, steady, readers.maxSeries(), after,
					total(perFamily(steadyScrape)), total(perFamily(lastScrape)), readers.maxPools(),
					readers.maxOtelPoints(), steadyOtel, otelAfter);

			assertThat(readers.maxSeries()).isLessThanOrEqualTo(bound);
			readers.maxPools().forEach((family, pools) -> assertThat(pools).as(family)
				.isLessThanOrEqualTo(poolValues(poolTagged().get(family))));
			assertThat(readers.otelOverflow()).as("OpenTelemetry callbacks stay within the views' limits").isEmpty();
			assertThat(lastScrape).doesNotContainPattern("pool=\"pool-\\d+\"");
			assertThat(perFamily(lastScrape)).as("after the churn, against the steady scrape")
				.isEqualTo(perFamily(steadyScrape));
			assertThat(churnedPoolsReported(this.otel.collectAll()))
				.as("instruments with callbacks stop reporting the pools that went")
				.isEmpty();
		});
	}

	/**
	 * The most lines a scrape can have, from the caps: twice the capped entries' lines, since
	 * the scrape that finds a family's series changed may show them before and after the
	 * change, the gone ones with their last values.
	 */
	private long bound() {
		return 2 * CappedSeries.lines(this.limits);
	}

	/**
	 * The pool values a read of a family may find: a gauge holds the published pools and
	 * {@code other}, a counter or timer also the pools in their grace period, at most as many
	 * again. A read that meets a change of membership (the registry is read while the change
	 * removes and registers series) may find the series of both sides: up to {@code max-pools}
	 * newly published ones on top.
	 */
	private static int poolValues(MeterDefinition definition) {
		return ((definition.kind() == MeterKind.GAUGE) ? 2 * MAX_POOLS : 3 * MAX_POOLS) + 1;
	}

	private static Map<String, MeterDefinition> poolTagged() {
		Map<String, MeterDefinition> families = new TreeMap<>();
		for (MeterDefinition definition : ThreadLensMeters.all()) {
			if (definition.tagKeys().contains(ThreadLensMeters.POOL)) {
				families.put(definition.name(), definition);
			}
		}
		return families;
	}

	private static long series(String scrape) {
		return scrape.lines().filter((line) -> !line.isEmpty() && !line.startsWith("#")).count();
	}

	/**
	 * The lines of each family, but for the series of the test's own threads: they follow
	 * what those threads do (the states and stacks the sampler finds them in, the registry's
	 * locks they contend on while the churn runs), not the churn.
	 */
	private static Map<String, Long> perFamily(String scrape) {
		Map<String, Long> families = new TreeMap<>();
		scrape.lines()
			.filter((line) -> !line.isEmpty() && !line.startsWith("#") && !line.contains("pool=\"ambient\""))
			.forEach((line) -> families.merge(line.replaceFirst("[{ ].*", ""), 1L, Long::sum));
		return families;
	}

	private static long total(Map<String, Long> families) {
		return families.values().stream().mapToLong(Long::longValue).sum();
	}

	private static Set<String> churnedPoolsReported(Iterable<MetricData> metrics) {
		Set<String> reported = new TreeSet<>();
		for (MetricData metric : metrics) {
			if (metric.getType() != MetricDataType.HISTOGRAM) {
				metric.getData()
					.getPoints()
					.stream()
					.map((point) -> point.getAttributes().get(POOL))
					.filter((pool) -> pool != null && pool.matches("pool-\\d+"))
					.forEach((pool) -> reported.add(metric.getName() + "{pool=" + pool + "}"));
			}
		}
		return reported;
	}

	private static long points(MetricData metric) {
		return metric.getData().getPoints().size();
	}

	/**
	 * The points of each pool family: a histogram's series are the SDK's to keep (it cannot
	 * forget one), an instrument with a callback reports what ThreadLens holds.
	 */
	private static Map<String, Long> otelPoints(Iterable<MetricData> metrics) {
		Map<String, Long> points = new TreeMap<>();
		for (MetricData metric : metrics) {
			if (poolTagged().values().stream().anyMatch((definition) -> definition.name().equals(metric.getName()))) {
				points.put(metric.getName(), points(metric));
			}
		}
		return points;
	}

	/**
	 * Start {@code count} executors of one thread each, as code that builds an executor per
	 * unit of work does, and wait until all have ended.
	 */
	private static void churn(int count) throws InterruptedException {
		Semaphore alive = new Semaphore(CONCURRENT_POOLS);
		Object monitor = new Object();
		for (int i = 0; i < count; i++) {
			alive.acquire();
			ExecutorService pool = Executors.newFixedThreadPool(1);
			pool.execute(() -> {
				try {
					work(monitor);
				}
				finally {
					alive.release();
				}
			});
			pool.shutdown();
		}
		alive.acquire(CONCURRENT_POOLS);
	}

	private static void work(Object monitor) {
		CountDownLatch never = new CountDownLatch(1);
		try {
			for (int i = 0; i < 3; i++) {
				// Parked on the latch: a jdk.ThreadPark event and waited time.
				never.await(5, TimeUnit.MILLISECONDS);
			}
			synchronized (monitor) {
				// Held while hundreds of others queue: jdk.JavaMonitorEnter events and blocked time.
				Thread.sleep(0, 200_000);
			}
			// Alive, and so published, while JFR delivers the events above.
			Thread.sleep(POOL_LIFE_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Scrapes every few milliseconds and collects the OpenTelemetry SDK every 100, each on a
	 * thread of its own, keeping the largest counts seen.
	 */
	private static final class Readers implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong maxSeries = new AtomicLong();

		private final Map<String, Long> maxPools = new ConcurrentHashMap<>();

		private final AtomicLong maxOtelPoints = new AtomicLong();

		private final Set<String> otelOverflow = ConcurrentHashMap.newKeySet();

		private final List<Thread> threads = new ArrayList<>();

		Readers(PrometheusMeterRegistry registry, InMemoryOpenTelemetry otel) {
			read("scraper", 5, () -> {
				this.maxSeries.accumulateAndGet(series(registry.scrape()), Math::max);
				poolTagged().keySet()
					.forEach((family) -> this.maxPools.merge(family, registry.find(family)
						.meters()
						.stream()
						.map((meter) -> meter.getId().getTag(ThreadLensMeters.POOL))
						.distinct()
						.count(), Math::max));
			});
			read("collector", 100, () -> {
				long points = 0;
				for (MetricData metric : otel.collectAll()) {
					points += points(metric);
					if (metric.getType() != MetricDataType.HISTOGRAM && metric.getData()
						.getPoints()
						.stream()
						.anyMatch((point) -> point.getAttributes().get(OTEL_OVERFLOW) != null)) {
						this.otelOverflow.add(metric.getName());
					}
				}
				this.maxOtelPoints.accumulateAndGet(points, Math::max);
			});
		}

		private void read(String name, long pauseMillis, Runnable read) {
			Thread thread = new Thread(() -> {
				while (this.running.get()) {
					read.run();
					try {
						Thread.sleep(pauseMillis);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			}, name);
			thread.start();
			this.threads.add(thread);
		}

		long maxSeries() {
			return this.maxSeries.get();
		}

		Map<String, Long> maxPools() {
			return new TreeMap<>(this.maxPools);
		}

		long maxOtelPoints() {
			return this.maxOtelPoints.get();
		}

		Set<String> otelOverflow() {
			return this.otelOverflow;
		}

		@Override
		public void close() throws InterruptedException {
			this.running.set(false);
			for (Thread thread : this.threads) {
				thread.join();
			}
		}

	}

}
