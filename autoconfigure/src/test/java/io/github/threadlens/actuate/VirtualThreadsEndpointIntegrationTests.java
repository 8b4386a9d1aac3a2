package io.github.threadlens.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Stream;

import io.github.threadlens.testsupport.Jdk;
import io.github.threadlens.testsupport.RealThreads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.VirtualThreadTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/threadlens?virtual=true} over HTTP, with real virtual threads parked in a
 * known method: 200 from an {@code ExecutorService} bean that ThreadLens instruments, whose
 * threads are named {@code job-N} but shown under the bean's name; 300 started one by one as
 * {@code worker-N}, shown in the pool their names give; 20 from an executor ThreadLens does not
 * know, without names, shown under its thread container. Platform threads are counted once.
 * The test builds for JDK 17, so the JDK 21 API is reached through Spring's virtual-thread
 * factory and a public method looked up by name.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=threadlens", "spring.web.error.include-message=always" })
class VirtualThreadsEndpointIntegrationTests {

	private static final HttpClient CLIENT = HttpClient.newHttpClient();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final CountDownLatch release = new CountDownLatch(1);

	private static final RealThreads platformThreads = new RealThreads();

	private static final List<Thread> parked = new ArrayList<>();

	private static ExecutorService unknown;

	@LocalServerPort
	private int port;

	@Autowired
	private ExecutorService orders;

	@BeforeAll
	static void startPlatformThreads() {
		platformThreads.start("vt-platform", 4, Thread.State.WAITING);
	}

	@AfterAll
	static void releaseThreads() throws Exception {
		release.countDown();
		platformThreads.close();
		if (unknown != null) {
			unknown.shutdown();
		}
	}

	@Test
	void virtualThreadsAreGroupedByTheExecutorOrPoolThatStartedThem() throws Exception {
		parkVirtualThreads();

		JsonNode orders = dump("pool=orders&depth=64");
		assertThat(orders.get("threads").asInt()).isEqualTo(200);
		JsonNode group = orders.get("groups").get(0);
		assertThat(group.get("count").asInt()).isEqualTo(200);
		assertThat(group.get("virtual").asBoolean()).isTrue();
		assertThat(group.get("state").asString()).isEqualTo("WAITING");
		assertThat(group.get("reason").asString()).isEqualTo("lock");
		assertThat(frames(group)).anySatisfy((frame) -> assertThat(frame).contains(".parkHere("))
			.noneSatisfy((frame) -> assertThat(frame).contains("java.base/"));
		assertThat(examples(group)).hasSize(3).allSatisfy((name) -> assertThat(name).startsWith("job-"));

		JsonNode workers = dump("pool=worker");
		assertThat(workers.get("threads").asInt()).isEqualTo(300);
		assertThat(workers.get("groups")).singleElement()
			.satisfies((worker) -> assertThat(worker.get("count").asInt()).isEqualTo(300));

		String container = "java.util.concurrent.ThreadPerTaskExecutor@"
				+ Integer.toHexString(System.identityHashCode(unknown));
		JsonNode unnamed = dump("pool=" + container);
		assertThat(unnamed.get("threads").asInt()).isEqualTo(20);

		JsonNode platform = dump("pool=vt-platform");
		assertThat(platform.get("threads").asInt()).isEqualTo(4);
		assertThat(platform.get("groups").get(0).get("virtual").asBoolean()).isFalse();
	}

	@Test
	void withoutTheParameterOnlyPlatformThreadsAreShown() throws Exception {
		parkVirtualThreads();
		assertThat(get("/actuator/threadlens?pool=orders", "application/json").body()).contains("\"threads\":0");
		assertThat(get("/actuator/threadlens?pool=worker&virtual=false", "application/json").body())
			.contains("\"threads\":0");
	}

	@Test
	void outputStaysBoundedWhateverTheNumberOfThreads() throws Exception {
		parkVirtualThreads();
		HttpResponse<String> response = get("/actuator/threadlens?virtual=true&depth=64&limit=3",
				"application/json");
		JsonNode dump = JSON.readTree(response.body());
		assertThat(dump.get("threads").asInt()).isGreaterThan(520);
		assertThat(dump.get("groups")).hasSize(3)
			.allSatisfy((group) -> assertThat(examples(group)).hasSizeLessThanOrEqualTo(3));
		// Three groups of at most 64 frames and 3 names, each at most 200 characters.
		assertThat(response.body().length()).isLessThan(3 * (64 + 3) * 210 + 1000);
	}

	@Test
	void textNamesVirtualGroups() throws Exception {
		parkVirtualThreads();
		assertThat(get("/actuator/threadlens?virtual=true&pool=worker", "text/plain").body())
			.contains("300 x pool=worker state=WAITING reason=lock virtual");
	}

	@Test
	void theDumpLeavesNoFileBehind() throws Exception {
		parkVirtualThreads();
		dump("pool=orders");
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.noneMatch((name) -> name.startsWith("threadlens-dump"));
		}
	}

	@Test
	void aBadValueGetsA400WithTheReason() throws Exception {
		HttpResponse<String> response = get("/actuator/threadlens?virtual=maybe", "application/json");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("'virtual'").contains("true or false");
	}

	private void parkVirtualThreads() throws Exception {
		if (!parked.isEmpty()) {
			return;
		}
		List<Thread> started = new ArrayList<>();
		CountDownLatch running = new CountDownLatch(200 + 300 + 20);
		Runnable task = () -> {
			synchronized (started) {
				started.add(Thread.currentThread());
			}
			running.countDown();
			parkHere();
		};
		for (int i = 0; i < 200; i++) {
			this.orders.execute(task);
		}
		VirtualThreadTaskExecutor workers = new VirtualThreadTaskExecutor("worker-");
		for (int i = 0; i < 300; i++) {
			workers.execute(task);
		}
		unknown = newThreadPerTaskExecutor(new VirtualThreadTaskExecutor().getVirtualThreadFactory());
		for (int i = 0; i < 20; i++) {
			unknown.execute(task);
		}
		running.await();
		for (Thread thread : started) {
			while (thread.getState() != Thread.State.WAITING) {
				Thread.sleep(1);
			}
		}
		parked.addAll(started);
	}

	private static void parkHere() {
		try {
			release.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static ExecutorService newThreadPerTaskExecutor(ThreadFactory factory) {
		try {
			return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
				.invoke(null, factory);
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private JsonNode dump(String query) throws IOException, InterruptedException {
		HttpResponse<String> response = get("/actuator/threadlens?virtual=true&" + query, "application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static List<String> frames(JsonNode group) {
		return group.get("frames").valueStream().map(JsonNode::asString).toList();
	}

	private static List<String> examples(JsonNode group) {
		return group.get("examples").valueStream().map(JsonNode::asString).toList();
	}

	private HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept", accept)
			.build();
		return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootApplication
	static class VirtualThreadsApplication {

		@Bean
		ExecutorService orders() {
			return newThreadPerTaskExecutor(new VirtualThreadTaskExecutor("job-").getVirtualThreadFactory());
		}

	}

}
