package io.github.threadlens.autoconfigure;

import java.io.IOException;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import javax.management.ObjectName;

import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.Awaits;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded Tomcat keeps its own request pool with ThreadLens on: Boot's
 * {@code tomcat.threads.*} meters and Tomcat's JMX {@code ThreadPool} read the same with and
 * without ThreadLens, saturated by the same real HTTP requests (two workers busy, one
 * request queued, one refused), while ThreadLens adds the pool's gauges, its rejections and
 * its threads in the census, and no request timer, since it cannot time that pool.
 * <p>
 * Isolated: Boot's Tomcat meters come from Tomcat's MBeans, and the first embedded Tomcat
 * started without {@code server.tomcat.mbeanregistry.enabled} turns Tomcat's MBean registry
 * off for the whole JVM.
 */
class TomcatOwnPoolIsolatedTests {

	private static final String[] PROPERTIES = { "server.tomcat.threads.max=2",
			"server.tomcat.threads.min-spare=1", "server.tomcat.threads.max-queue-capacity=1",
			"server.tomcat.mbeanregistry.enabled=true", "threadlens.census.max-age=0s" };

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void bootsTomcatMetersReadTheSameWithAndWithoutThreadLens() throws Exception {
		Map<String, Double> without = saturate("threadlens.enabled=false", null);
		Map<String, Double> with = saturate("threadlens.enabled=true", (context, name) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Awaits.count(() -> registry.get("executor.rejected").tag("name", name).functionCounter().count(), 1);
			assertThat(registry.get("executor.active").tag("name", name).gauge().value()).isEqualTo(2);
			assertThat(registry.get("executor.queued").tag("name", name).gauge().value()).isEqualTo(1);
			assertThat(registry.get("executor.pool.max").tag("name", name).gauge().value()).isEqualTo(2);
			ThreadCensus census = context.getBean(ThreadCensus.class);
			Awaits.count(() -> census.snapshot().count(name, Thread.State.TIMED_WAITING), 2);
			assertThat(registry.find("executor").tag("name", name).timers())
				.as("Tomcat's own pool is not timed: no empty histogram reads as an idle pool")
				.isEmpty();
		});
		assertThat(with).isEqualTo(without);
		assertThat(with).containsEntry("tomcat.threads.config.max", 2.0)
			.containsEntry("jmx maxThreads", 2.0)
			.containsEntry("tomcat.threads.busy", 2.0);
	}

	/**
	 * Run the application, hold two requests, queue one and have one refused, then read
	 * Boot's Tomcat meters and Tomcat's JMX pool.
	 */
	private Map<String, Double> saturate(String threadLens, SaturatedCheck check) throws Exception {
		HoldingApplication.hold(2);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(HoldingApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(PROPERTIES)
			.properties(threadLens, "server.port=" + freePort())
			.run()) {
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				held.add(get(port));
				if (i == 1) {
					assertThat(HoldingApplication.entered.await(30, TimeUnit.SECONDS)).isTrue();
				}
			}
			AbstractProtocol<?> protocol = (AbstractProtocol<?>) ((TomcatWebServer) ((WebServerApplicationContext) context)
				.getWebServer()).getTomcat().getConnector().getProtocolHandler();
			// A fixed port: with 0, Tomcat renames the connector once bound, after its MBeans.
			String protocolName = ObjectName.unquote(protocol.getName());
			String name = protocolName + "-exec";
			Executor pool = protocol.getExecutor();
			Awaits.count(() -> ((ThreadPoolExecutor) pool).getQueue().size(), 1);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			// A raw connection: an HTTP client would retry the refused GET on a new one.
			try (Socket refused = new Socket("127.0.0.1", port)) {
				refused.getOutputStream()
					.write("GET /hold HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				refused.setSoTimeout(30_000);
				assertThat(refused.getInputStream().read()).as("the refused connection is closed unanswered")
					.isEqualTo(-1);
				Map<String, Double> read = new LinkedHashMap<>();
				for (String meter : List.of("tomcat.threads.config.max", "tomcat.threads.busy",
						"tomcat.threads.current")) {
					// Boot binds them as Tomcat registers its MBeans.
					read.put(meter, Awaits.until(() -> registry.find(meter).tag("name", protocolName).gauge(),
							(gauge) -> gauge != null)
						.value());
				}
				ObjectName threadPool = new ObjectName("Tomcat:type=ThreadPool,name=" + protocol.getName());
				read.put("jmx maxThreads", ((Number) ManagementFactory.getPlatformMBeanServer()
					.getAttribute(threadPool, "maxThreads")).doubleValue());
				if (check != null) {
					check.check(context, name);
				}
				HoldingApplication.release.countDown();
				for (CompletableFuture<HttpResponse<String>> response : held) {
					assertThat(response.get(30, TimeUnit.SECONDS).body()).isEqualTo("released");
				}
				return read;
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private CompletableFuture<HttpResponse<String>> get(int port) {
		return this.http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hold")).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@FunctionalInterface
	interface SaturatedCheck {

		void check(ConfigurableApplicationContext context, String name) throws Exception;

	}

}
