package io.github.threadlens.autoconfigure;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded Tomcat's request pool with {@code threadlens.executors.tomcat.timed=true},
 * saturated by real HTTP requests: two workers busy, one request queued, one refused; every
 * request timed, the pool gauged, its threads counted under the executor's name.
 */
@SpringBootTest(classes = HoldingApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=prometheus", "management.server.port=0",
				"threadlens.census.max-age=0s", "server.tomcat.threads.max=2", "server.tomcat.threads.min-spare=1",
				"server.tomcat.threads.max-queue-capacity=1", "threadlens.executors.tomcat.timed=true" })
class TomcatRequestPoolIntegrationTests {

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private ThreadCensus census;

	@Test
	void saturatedRequestPoolShowsQueueWaitRejectionsAndBusyWorkers() throws Exception {
		HoldingApplication.hold(2);
		List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			held.add(get("/hold"));
		}
		assertThat(HoldingApplication.entered.await(30, TimeUnit.SECONDS)).isTrue();
		String name = requestPoolName();
		CompletableFuture<HttpResponse<String>> queued = get("/hold");
		Awaits.count(() -> gauge("executor.queued", name), 1);
		long queuedAt = System.nanoTime();
		// A raw connection: an HTTP client would retry the refused GET on a new one.
		Socket refused = new Socket("127.0.0.1", this.port);
		refused.getOutputStream().write("GET /hold HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
		Awaits.count(() -> this.registry.get("executor.rejected").tag("name", name).functionCounter().count(), 1);
		assertThat(gauge("executor.active", name)).isEqualTo(2);
		assertThat(gauge("executor.pool.max", name)).isEqualTo(2);
		Awaits.count(() -> this.census.snapshot().count(name, Thread.State.TIMED_WAITING), 2);

		Thread.sleep(30);
		long heldFor = System.nanoTime() - queuedAt;
		HoldingApplication.release.countDown();
		for (CompletableFuture<HttpResponse<String>> response : held) {
			assertThat(response.get(30, TimeUnit.SECONDS).body()).isEqualTo("released");
		}
		assertThat(queued.get(30, TimeUnit.SECONDS).body()).isEqualTo("released");
		refused.setSoTimeout(30_000);
		assertThat(refused.getInputStream().read()).as("the refused connection is closed unanswered").isEqualTo(-1);
		refused.close();

		Timer idle = this.registry.get("executor.idle").tag("name", name).timer();
		Awaits.count(() -> this.registry.get("executor").tag("name", name).timer().count(), 3);
		assertThat(idle.max(TimeUnit.NANOSECONDS)).isGreaterThanOrEqualTo(heldFor);
		String scrape = Scrapes.get(this.managementPort, "/actuator/prometheus").body();
		assertThat(Scrapes.value(scrape, "executor_idle_seconds_bucket", "name=\"" + name + "\",le=\"+Inf\""))
			.isEqualTo(3);
		assertThat(Scrapes.value(scrape, "executor_rejected_tasks_total", "name=\"" + name + "\"")).isEqualTo(1);
	}

	private String requestPoolName() {
		// The application's connector is created first; the management server's comes after.
		return this.registry.find("executor.pool.max")
			.gauges()
			.stream()
			.map((gauge) -> gauge.getId().getTag("name"))
			.filter((name) -> name.startsWith("http-nio-"))
			.sorted()
			.findFirst()
			.orElseThrow();
	}

	private double gauge(String meter, String name) {
		return this.registry.get(meter).tag("name", name).gauge().value();
	}

	private CompletableFuture<HttpResponse<String>> get(String path) {
		return this.http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
