package io.github.threadlens.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Jdk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tomcat on virtual threads ({@code spring.threads.virtual.enabled=true}): requests in flight,
 * parked in the controller, are virtual threads named {@code tomcat-handler-N}, shown in pool
 * {@code tomcat-handler} by their names, since Tomcat starts them outside any executor's thread
 * container.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.threads.virtual.enabled=true", "management.endpoints.web.exposure.include=threadlens" })
class TomcatVirtualThreadsDumpIntegrationTests {

	private static final int REQUESTS = 3;

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	private static final CountDownLatch arrived = new CountDownLatch(REQUESTS);

	private static final CountDownLatch release = new CountDownLatch(1);

	@LocalServerPort
	private int port;

	@Test
	void requestsInFlightAreInPoolTomcatHandler() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			parked.add(CLIENT.sendAsync(request("/park"), HttpResponse.BodyHandlers.ofString()));
		}
		try {
			arrived.await();
			JsonNode dump = awaitParked();
			assertThat(dump.get("threads").asInt()).isEqualTo(REQUESTS);
			JsonNode group = dump.get("groups").get(0);
			assertThat(group.get("virtual").asBoolean()).isTrue();
			assertThat(group.get("examples").valueStream().map(JsonNode::asString))
				.allSatisfy((name) -> assertThat(name).startsWith("tomcat-handler-"));
		}
		finally {
			release.countDown();
		}
		for (CompletableFuture<HttpResponse<String>> response : parked) {
			assertThat(response.get().body()).isEqualTo("released");
		}
	}

	/** The dump once every request has gone from arriving to parking on the latch. */
	private JsonNode awaitParked() throws Exception {
		JsonMapper json = JsonMapper.builder().build();
		return Awaits.until(() -> json.readTree(CLIENT
			.send(request("/actuator/threadlens?virtual=true&pool=tomcat-handler&state=waiting&reason=lock"),
					HttpResponse.BodyHandlers.ofString())
			.body()), (dump) -> dump.get("threads").asInt() >= REQUESTS);
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build();
	}

	@SpringBootApplication
	@RestController
	static class ParkingApplication {

		@GetMapping("/park")
		String park() throws InterruptedException {
			arrived.countDown();
			release.await();
			return "released";
		}

	}

}
