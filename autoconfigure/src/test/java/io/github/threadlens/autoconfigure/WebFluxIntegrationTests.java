package io.github.threadlens.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.LoopResources;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real WebFlux application on Boot's Reactor Netty server, on a free port, on each transport
 * Netty has here: epoll (its native jar is on the test class path), and NIO in a JVM of its own
 * started with {@code -Dreactor.netty.native=false} (the build's {@code nio} test run), as an
 * application switches it off, since Reactor Netty reads it once per JVM. Under
 * concurrent HTTP load its handlers move work to schedulers ({@code subscribeOn} a bounded
 * elastic one, {@code publishOn} a parallel one), whose tasks are timed under their names,
 * while scrapes in a loop find every pool in every scrape once it appeared; the server's
 * event loops are an executor named as their threads' pool, whose pending tasks
 * are the tasks queued behind a loop that a handler blocks, and whose idle loops read
 * {@code idle} while the blocked one does not.
 */
class WebFluxIntegrationTests {

	private static final int REQUESTS = 100;

	private static final int QUEUED = 5;

	/**
	 * Reactor Netty rather than Tomcat or Jetty, which the test class path also holds: an
	 * argument, which overrides the test {@code application.properties}' exclusions.
	 */
	private static final String NETTY = "--spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration,"
			+ "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration,"
			+ "org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration";

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void schedulersAreTimedAndEventLoopsPublished() throws Exception {
		boolean preferNative = !"false".equals(System.getProperty("reactor.netty.native"));
		assertThat(LoopResources.DEFAULT_NATIVE).as("the transport this JVM was started for")
			.isEqualTo(preferNative);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WebFluxApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties("server.port=0", "management.endpoints.web.exposure.include=prometheus",
					"threadlens.census.max-age=0s", "threadlens.sampling.interval=100ms")
			.run(NETTY)) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			String loops = preferNative ? "reactor-http-epoll" : "reactor-http-nio";

			List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
			for (int i = 0; i < REQUESTS; i++) {
				responses.add(get(port, "/work"));
			}
			// Scraped in a loop while the load runs: a pool, once in a scrape, is in every later
			// one (none of them ends), while the schedulers' threads start around them.
			List<Set<String>> scraped = new ArrayList<>();
			while (!responses.stream().allMatch(CompletableFuture::isDone) || scraped.size() < 5) {
				scraped.add(Scrapes.labelValues(Scrapes.prometheus(port).body(), "jvm_threads_pool_states_threads",
						"pool"));
			}
			for (CompletableFuture<HttpResponse<String>> response : responses) {
				assertThat(response.get(30, TimeUnit.SECONDS).body()).startsWith("read on tl-compute-");
			}
			assertThat(scraped.get(0)).as("the event loops' pool from the first scrape").contains(loops);
			assertThat(scraped.get(scraped.size() - 1)).contains(loops, "tl-blocking", "tl-compute");
			for (String pool : List.of(loops, "tl-blocking", "tl-compute")) {
				int first = IntStream.range(0, scraped.size())
					.filter((i) -> scraped.get(i).contains(pool))
					.findFirst()
					.orElseThrow();
				assertThat(scraped.subList(first, scraped.size())).as(pool + " in every scrape from the "
						+ (first + 1) + "th of " + scraped.size())
					.allMatch((pools) -> pools.contains(pool));
			}
			// At least one task per request on each: subscribeOn's, then publishOn's.
			Awaits.atLeast(() -> registry.get("executor").tag("name", "tl-blocking").timer().count(), REQUESTS);
			Awaits.atLeast(() -> registry.get("executor").tag("name", "tl-compute").timer().count(), REQUESTS);
			assertThat(registry.get("executor.idle").tag("name", "tl-blocking").timer().count())
				.isGreaterThanOrEqualTo(REQUESTS);

			EventLoopGroup group = HttpResources.get().onServer(preferNative);
			int size = 0;
			for (EventExecutor ignored : group) {
				size++;
			}
			assertThat(size).isEqualTo(LoopResources.DEFAULT_IO_WORKER_COUNT);
			assertThat(registry.get("executor.pool.max").tag("name", loops).gauge().value()).isEqualTo(size);
			assertThat(registry.get("executor.pool.size").tag("name", loops).gauge().value()).isEqualTo(size);

			// A handler that blocks its event loop, the mistake an SRE looks for: tasks handed
			// to that loop (as a write from another thread is) wait behind it.
			CompletableFuture<HttpResponse<String>> held = get(port, "/hold");
			Thread blocked = Awaits.until(WebFluxApplication.holder::get, (thread) -> thread != null);
			EventExecutor loop = loopOf(group, blocked);
			for (int i = 0; i < QUEUED; i++) {
				loop.execute(() -> {
				});
			}
			Awaits.atLeast(() -> registry.get("executor.queued").tag("name", loops).gauge().value(), QUEUED);
			Awaits.until(() -> blocking(registry, loops, "idle"), (idle) -> idle > 0);
			Awaits.until(() -> notIdle(registry, loops), (busy) -> busy >= 1);

			WebFluxApplication.release.countDown();
			assertThat(held.get(30, TimeUnit.SECONDS).body()).isEqualTo("released");
			Awaits.until(() -> registry.get("executor.queued").tag("name", loops).gauge().value(),
					(queued) -> queued == 0);
			// Scraped once no loop is blocked: the scrape's connection may land on any of them.
			String scrape = Scrapes.prometheus(port).body();
			assertThat(Scrapes.value(scrape, "executor_pool_max_threads", "name=\"" + loops + "\"")).isEqualTo(size);
			assertThat(Scrapes.value(scrape, "executor_queued_tasks", "name=\"" + loops + "\"")).isZero();
			assertThat(Scrapes.labelValues(scrape, "jvm_threads_pool_states_threads", "pool")).contains(loops);
		}
		finally {
			WebFluxApplication.release.countDown();
			WebFluxApplication.dispose();
		}
	}

	private static EventExecutor loopOf(EventLoopGroup group, Thread thread) {
		for (EventExecutor loop : group) {
			if (loop.inEventLoop(thread)) {
				return loop;
			}
		}
		throw new AssertionError(thread.getName() + " is not a loop of the server's group");
	}

	private static double blocking(MeterRegistry registry, String pool, String reason) {
		Gauge gauge = registry.find("jvm.threads.blocking").tag("pool", pool).tag("reason", reason).gauge();
		return (gauge != null) ? gauge.value() : 0;
	}

	private static double notIdle(MeterRegistry registry, String pool) {
		return registry.find("jvm.threads.blocking")
			.tag("pool", pool)
			.gauges()
			.stream()
			.filter((gauge) -> !"idle".equals(gauge.getId().getTag("reason")))
			.mapToDouble(Gauge::value)
			.sum();
	}

	private CompletableFuture<HttpResponse<String>> get(int port, String path) {
		return this.http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebFluxApplication {

		static final AtomicReference<Thread> holder = new AtomicReference<>();

		static final CountDownLatch release = new CountDownLatch(1);

		// Created on first use, after the context started, as Reactor creates its own.
		private static Scheduler blocking;

		private static Scheduler compute;

		static synchronized void dispose() {
			if (blocking != null) {
				blocking.dispose();
				compute.dispose();
			}
		}

		private static synchronized Scheduler blocking() {
			if (blocking == null) {
				blocking = Schedulers.newBoundedElastic(4, 1000, "tl-blocking");
			}
			return blocking;
		}

		private static synchronized Scheduler compute() {
			if (compute == null) {
				compute = Schedulers.newParallel("tl-compute", 2);
			}
			return compute;
		}

		@Bean
		RouterFunction<ServerResponse> routes() {
			return RouterFunctions.route()
				.GET("/work", (request) -> ServerResponse.ok().body(Mono.fromCallable(() -> {
					Thread.sleep(1);
					return "read";
				}).subscribeOn(blocking()).publishOn(compute()).map((body) -> body + " on " + Thread.currentThread().getName()),
						String.class))
				.GET("/hold", (request) -> {
					holder.set(Thread.currentThread());
					Awaits.hold(release);
					return ServerResponse.ok().bodyValue("released");
				})
				.build();
		}

	}

}
