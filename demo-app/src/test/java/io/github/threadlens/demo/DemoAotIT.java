package io.github.threadlens.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.FreePorts;
import io.github.threadlens.testsupport.Scrapes;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.aop.support.AopUtils;
import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo started from what Spring AOT generated for it at build time (the Spring Boot
 * plugin's {@code process-aot} goal), as a native image would start, but on the JVM: the bean
 * definitions come from the generated initializer, not from the configuration classes, and
 * ThreadLens must still find, wrap and publish what it does when the context is built at run
 * time. Run by Failsafe after packaging, when the generated classes exist.
 */
class DemoAotIT {

	private static final String AOT_ENABLED = "spring.aot.enabled";

	private static final String REACHABILITY_METADATA = "META-INF/native-image/io.github.threadlens/threadlens-demo-app/reachability-metadata.json";

	@Test
	void aotProcessedApplicationPublishesThreadLensMeters() throws Exception {
		SpringApplication application = new SpringApplication(DemoApplication.class);
		// The generated initializer is named after the main class, which would otherwise be
		// deduced from the stack: Failsafe's.
		application.setMainApplicationClass(DemoApplication.class);
		String previous = System.setProperty(AOT_ENABLED, "true");
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--demo.otel.prometheus.host=127.0.0.1", "--demo.otel.prometheus.port=" + FreePorts.free())) {
			assertThat(AotDetector.useGeneratedArtifacts()).isTrue();
			// Generated definitions create their beans through instance suppliers; scanned and
			// @Bean definitions built at run time have none.
			assertThat(((RootBeanDefinition) context.getBeanFactory().getMergedBeanDefinition("exportPool"))
				.getInstanceSupplier()).as("exportPool defined by the AOT initializer").isNotNull();
			Object exportPool = context.getBean("exportPool");
			assertThat(AopUtils.isJdkDynamicProxy(exportPool)).as("exportPool wrapped in a JDK proxy").isTrue();
			assertThat(hintedProxies()).as("proxies hinted by the build's AOT processing")
				.contains(Arrays.stream(exportPool.getClass().getInterfaces()).map(Class::getName).toList());
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			URI export = URI.create("http://127.0.0.1:" + port + "/scenarios/executors/export?tasks=2&millis=1");
			HttpResponse<String> submitted = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(export).POST(HttpRequest.BodyPublishers.noBody()).build(),
						HttpResponse.BodyHandlers.ofString());
			assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(200);
			String timer = PrometheusNaming.MICROMETER.name(ThreadLensMeters.EXECUTOR) + "_count";
			String states = PrometheusNaming.MICROMETER.name(ThreadLensMeters.THREADS_POOL_STATES);
			// The demo's pools start once the application is ready, and a census pass serves
			// scrapes for up to threadlens.census.max-age: the first scrapes may predate them.
			String scrape = Awaits.until(() -> Scrapes.prometheus(port).body(),
					(body) -> Scrapes.labelValues(body, timer, ThreadLensMeters.NAME).contains("exportPool")
							&& Scrapes.labelValues(body, states, ThreadLensMeters.POOL)
								.containsAll(List.of("orders-worker", "billing-io")));
			assertThat(Scrapes.labelValues(scrape, states, ThreadLensMeters.POOL)).as("pools of the census")
				.contains("orders-worker", "billing-io");
			assertThat(Scrapes.labelValues(scrape, timer, ThreadLensMeters.NAME)).as("executors timed")
				.contains("exportPool");
			assertThat(Scrapes.labelValues(scrape, PrometheusNaming.MICROMETER.name(ThreadLensMeters.EXECUTOR_POOL_SIZE),
					ThreadLensMeters.NAME))
				.as("executor pool gauges")
				.contains("exportPool");
		}
		finally {
			if (previous == null) {
				System.clearProperty(AOT_ENABLED);
			}
			else {
				System.setProperty(AOT_ENABLED, previous);
			}
		}
	}

	/** The JDK proxies of the native image metadata that process-aot wrote for the demo. */
	private static List<List<String>> hintedProxies() throws IOException {
		List<List<String>> proxies = new ArrayList<>();
		try (InputStream in = new ClassPathResource(REACHABILITY_METADATA).getInputStream()) {
			for (JsonNode entry : JsonMapper.shared().readTree(in).get("reflection")) {
				JsonNode type = entry.get("type");
				if (type.has("proxy")) {
					List<String> interfaces = new ArrayList<>();
					type.get("proxy").forEach((name) -> interfaces.add(name.asString()));
					proxies.add(interfaces);
				}
			}
		}
		return proxies;
	}

}
