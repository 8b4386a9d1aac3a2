package io.github.threadlens.autoconfigure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.census.PoolNameNormalizer;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real embedded Jetty 12 on a free port, its request pool saturated by real HTTP requests
 * (every worker busy, one request queued, one refused), run without and with ThreadLens.
 * Without, Jetty's own names ({@code qtp<hash>-<n>}, the acceptor's long name) fold into
 * {@code qtp} and {@code qtp-acceptor}. With, the pool is {@code jetty-PORT}: its jobs timed
 * (queue wait and run), its rejection counted, its gauges and threads published, its idle
 * workers classified {@code idle}; and Boot's {@code jetty.threads.*} read the same as
 * without.
 */
class JettyRequestPoolIntegrationTests {

	/**
	 * Jetty rather than Tomcat, which the test classpath also holds: an argument, which
	 * overrides the test {@code application.properties} that excludes Jetty.
	 */
	private static final String JETTY = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration,"
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server."
			+ "TomcatServletManagementContextAutoConfiguration";

	private static final String[] PROPERTIES = { "server.jetty.threads.max=8", "server.jetty.threads.min=8",
			"server.jetty.threads.max-queue-capacity=1", "management.endpoints.web.exposure.include=prometheus",
			"threadlens.census.max-age=0s", "threadlens.sampling.interval=100ms" };

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void jettysRequestPoolIsTimedGaugedAndNamedStablyWhileBootsMetersKeepTheirValues() throws Exception {
		Map<String, Double> without = saturate("threadlens.enabled=false", (context, port, pool) -> {
			Set<String> pools = new TreeSet<>();
			PoolNameNormalizer normalizer = new PoolNameNormalizer();
			for (ThreadInfo thread : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
				if (thread.getThreadName().startsWith(pool.getName() + "-")) {
					pools.add(normalizer.normalize(thread.getThreadName()));
				}
			}
			assertThat(pool.getName()).matches("qtp\\d+");
			assertThat(pools).containsExactly("qtp", "qtp-acceptor");
		});
		Map<String, Double> with = saturate("threadlens.enabled=true", (context, port, pool) -> {
			String name = "jetty-" + port;
			assertThat(pool.getName()).isEqualTo(name);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaits.count(() -> registry.get("executor.rejected").tag("name", name).functionCounter().count(), 1);
			assertThat(gauge(registry, "executor.queued", name)).isEqualTo(1);
			assertThat(gauge(registry, "executor.queue.remaining", name)).isZero();
			assertThat(gauge(registry, "executor.pool.max", name)).isEqualTo(8);
			assertThat(gauge(registry, "executor.pool.core", name)).isEqualTo(8);
			assertThat(gauge(registry, "executor.pool.size", name)).isEqualTo(pool.getThreads());
			assertThat(gauge(registry, "executor.active", name)).isEqualTo(pool.getBusyThreads());
			ThreadCensus census = context.getBean(ThreadCensus.class);
			Awaits.count(() -> census.snapshot().size(name),
					pool.getThreads());
		});
		assertThat(with).isEqualTo(without);
		assertThat(with).containsEntry("jetty.threads.config.max", 8.0)
			.containsEntry("jetty.threads.config.min", 8.0)
			.containsEntry("jetty.threads.jobs", 1.0);
	}

	@Test
	void aManagementServerOnItsOwnPortKeepsJettysPoolNamedByTheDefaultNaming() throws Exception {
		int port = freePort();
		int managementPort = freePort();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HoldingApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(PROPERTIES)
			.properties("server.port=" + port, "management.server.port=" + managementPort)
			.run(JETTY)) {
			String scrape = Scrapes.get(managementPort, "/actuator/prometheus").body();
			assertThat(Scrapes.labelValues(scrape, "executor_pool_max_threads", "name")).contains("jetty-" + port);
			assertThat(Scrapes.value(scrape, "executor_pool_max_threads", "name=\"jetty-" + port + "\""))
				.isEqualTo(8);
			// The management context's server factory is customized in that context alone.
			assertThat(Scrapes.labelValues(scrape, "executor_pool_max_threads", "name"))
				.noneMatch((name) -> name.equals("jetty-" + managementPort));
			assertThat(Scrapes.labelValues(scrape, "jvm_threads_pool_states_threads", "pool"))
				.contains("jetty-" + port, "qtp", "qtp-acceptor")
				.noneMatch((pool) -> pool.matches("qtp\\d+.*"));
		}
	}

	@FunctionalInterface
	interface SaturatedCheck {

		void check(ConfigurableApplicationContext context, int port, QueuedThreadPool pool) throws Exception;

	}

	/**
	 * Run the application, hold requests until every worker is busy and one request waits in
	 * the queue, have one refused, then read Boot's Jetty meters; release, and check what an
	 * idle pool looks like.
	 */
	private Map<String, Double> saturate(String threadLens, SaturatedCheck check) throws Exception {
		int port = freePort();
		HoldingApplication.hold(1000);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HoldingApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(PROPERTIES)
			.properties(threadLens, "server.port=" + port)
			.run(JETTY)) {
			QueuedThreadPool pool = (QueuedThreadPool) ((JettyWebServer) ((WebServerApplicationContext) context)
				.getWebServer()).getServer().getThreadPool();
			List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
			// Jetty leases threads to its acceptor and selector and reserves some: hold
			// requests one at a time until one has to wait in the queue.
			while (pool.getQueueSize() == 0) {
				long entered = 1000 - HoldingApplication.entered.getCount();
				held.add(get(port, "/hold"));
				Awaits.until(() -> (1000 - HoldingApplication.entered.getCount() > entered) || pool.getQueueSize() > 0,
						(done) -> done);
				assertThat(held).hasSizeLessThan(10);
			}
			long queuedAt = System.nanoTime();
			long busy = 1000 - HoldingApplication.entered.getCount();
			// A raw connection: an HTTP client would retry the refused GET on a new one.
			try (Socket refused = new Socket("127.0.0.1", port)) {
				refused.getOutputStream()
					.write("GET /hold HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				refused.setSoTimeout(30_000);
				Map<String, Double> read = new LinkedHashMap<>();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				for (String meter : List.of("jetty.threads.config.max", "jetty.threads.config.min",
						"jetty.threads.busy", "jetty.threads.jobs", "jetty.threads.current")) {
					read.put(meter, Awaits.until(() -> registry.find(meter).gauge(), (gauge) -> gauge != null).value());
				}
				read.put("held requests", (double) busy);
				check.check(context, port, pool);
				Thread.sleep(30);
				long heldFor = System.nanoTime() - queuedAt;
				HoldingApplication.release.countDown();
				for (CompletableFuture<HttpResponse<String>> response : held) {
					assertThat(response.get(30, TimeUnit.SECONDS).body()).isEqualTo("released");
				}
				assertThat(refused.getInputStream().read()).as("the refused connection is closed unanswered")
					.isEqualTo(-1);
				if (threadLens.endsWith("true")) {
					afterRelease(context, "jetty-" + port, heldFor, (int) busy);
				}
				return read;
			}
		}
	}

	private void afterRelease(ConfigurableApplicationContext context, String name, long heldFor, int held)
			throws Exception {
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		Timer idle = registry.get("executor.idle").tag("name", name).timer();
		Awaits.atLeast(() -> registry.get("executor").tag("name", name).timer().count(), 1);
		assertThat(idle.max(TimeUnit.NANOSECONDS)).as("the queued request's wait for a worker")
			.isGreaterThanOrEqualTo(heldFor);
		// Idle workers, parked on the job queue or reserved, are idle, not lock contention,
		// once the released requests' responses are written.
		Awaits.until(() -> registry.find("jvm.threads.blocking").tag("pool", name).tag("reason", "idle").gauge(),
				(gauge) -> gauge != null && gauge.value() > 0);
		Awaits.until(() -> registry.find("jvm.threads.blocking").tag("pool", name).tag("reason", "lock").gauge(),
				(lock) -> lock == null || lock.value() == 0);
		int port = Integer.parseInt(name.substring("jetty-".length()));
		String scrape = Scrapes.get(port, "/actuator/prometheus").body();
		assertThat(Scrapes.value(scrape, "executor_rejected_tasks_total", "name=\"" + name + "\"")).isEqualTo(1);
		assertThat(Scrapes.value(scrape, "executor_idle_seconds_count", "name=\"" + name + "\"")).isPositive();
		assertThat(held).isPositive();
	}

	private static double gauge(MeterRegistry registry, String meter, String name) {
		return registry.get(meter).tag("name", name).gauge().value();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private CompletableFuture<HttpResponse<String>> get(int port, String path) {
		return this.http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
