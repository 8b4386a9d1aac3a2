package io.github.threadlens.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.github.threadlens.testsupport.RealThreads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/threadlens} over HTTP, exposed as a user would expose it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=threadlens,prometheus",
				"spring.web.error.include-message=always" })
class ThreadLensEndpointIntegrationTests {

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	private static final RealThreads threads = new RealThreads();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startThreads() {
		threads.start("http-dump", 4, Thread.State.WAITING);
	}

	@AfterAll
	static void stopThreads() throws Exception {
		threads.close();
	}

	@Test
	void servesJsonByDefault() throws Exception {
		HttpResponse<String> response = get("/actuator/threadlens?pool=http-dump", "application/json");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"threads\":4").contains("\"pool\":\"http-dump\"").contains("\"count\":4");
	}

	@Test
	void servesTextOnRequest() throws Exception {
		HttpResponse<String> response = get("/actuator/threadlens?pool=http-dump&depth=3", "text/plain");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/plain"));
		assertThat(response.body()).contains("4 x pool=http-dump state=WAITING reason=lock");
	}

	// Boot shows an error's message only where spring.web.error.include-message allows it.
	@Test
	void badParametersGetA400WithTheReason() throws Exception {
		HttpResponse<String> response = get("/actuator/threadlens?state=sleepy", "application/json");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("'state'");
	}

	@Test
	void virtualThreadsOnRequestFromJdk21AndRefusedBefore() throws Exception {
		HttpResponse<String> response = get("/actuator/threadlens?pool=http-dump&virtual=true", "application/json");
		if (Runtime.version().feature() >= 21) {
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).contains("\"threads\":4").contains("\"virtual\":false");
		}
		else {
			assertThat(response.statusCode()).isEqualTo(400);
			assertThat(response.body()).contains("'virtual'").contains("JDK 21+");
		}
	}

	private HttpResponse<String> get(String path, String accept) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept", accept)
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootApplication
	static class EndpointApplication {

	}

}
