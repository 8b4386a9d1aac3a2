package io.github.threadlens.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.threadlens.testsupport.Awaits;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Reactor Netty server on a free port under concurrent HTTP load, its handler moving work
 * to schedulers as a WebFlux service does: blocking work {@code subscribeOn} a bounded elastic
 * scheduler, the rest {@code publishOn} a parallel one. Every request's tasks are timed under
 * the schedulers' names, since the schedulers are created once the context has started, as
 * Reactor's own are on first use.
 */
class ReactorNettyLoadIntegrationTests {

	private static final int REQUESTS = 200;

	private final ApplicationContextRunner runner = MetricsContextRunner.create();

	@Test
	void workThatRequestsMoveToSchedulersIsTimedUnderTheirNames() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Supplier<Scheduler> blocking = memoized(() -> Schedulers.newBoundedElastic(4, 1000, "tl-blocking"));
			Supplier<Scheduler> compute = memoized(() -> Schedulers.newParallel("tl-compute", 2));
			DisposableServer server = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.handle((request, response) -> response.sendString(Mono.fromCallable(() -> {
					Thread.sleep(1);
					return "read";
				}).subscribeOn(blocking.get()).publishOn(compute.get()).map((body) -> body + " on " + thread())))
				.bindNow();
			try {
				HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
				URI uri = URI.create("http://127.0.0.1:" + server.port() + "/");
				List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
				for (int i = 0; i < REQUESTS; i++) {
					responses.add(client.sendAsync(HttpRequest.newBuilder(uri).build(),
							HttpResponse.BodyHandlers.ofString()));
				}
				for (CompletableFuture<HttpResponse<String>> response : responses) {
					assertThat(response.join().body()).startsWith("read on tl-compute-");
				}
				// At least one task per request on each: subscribeOn's, then publishOn's.
				Awaits.atLeast(() -> registry.get("executor").tag("name", "tl-blocking").timer().count(), REQUESTS);
				Awaits.atLeast(() -> registry.get("executor").tag("name", "tl-compute").timer().count(), REQUESTS);
				assertThat(registry.get("executor.idle").tag("name", "tl-blocking").timer().count())
					.isGreaterThanOrEqualTo(REQUESTS);
				assertThat(registry.get("executor.pool.max").tag("name", "tl-blocking").gauge().value()).isEqualTo(4);
				assertThat(registry.get("executor.rejected").tag("name", "tl-blocking").functionCounter().count())
					.isZero();
			}
			finally {
				server.disposeNow();
				blocking.get().dispose();
				compute.get().dispose();
			}
		});
	}

	private static String thread() {
		return Thread.currentThread().getName();
	}

	private static <T> Supplier<T> memoized(Supplier<T> create) {
		return new Supplier<>() {

			private T value;

			@Override
			public synchronized T get() {
				if (this.value == null) {
					this.value = create.get();
				}
				return this.value;
			}

		};
	}

}
