package io.github.threadlens.autoconfigure;

import java.util.concurrent.CompletableFuture;

import io.github.threadlens.testsupport.Awaits;
import io.github.threadlens.testsupport.Jdk;
import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application with {@code spring.threads.virtual.enabled=true}: Tomcat serves requests on
 * virtual threads and {@code @Async} runs on Boot's virtual-thread executor, both timed. On
 * JDK 17 there are no virtual threads and this test does not run.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.threads.virtual.enabled=true", "threadlens.census.max-age=0s",
				"management.endpoints.web.exposure.include=prometheus" })
class VirtualThreadsIntegrationTests {

	@LocalServerPort
	private int port;

	@Autowired
	private MeterRegistry registry;

	@Autowired
	private SimpleAsyncTaskExecutor applicationTaskExecutor;

	@Test
	void requestsAndAsyncTasksOnVirtualThreadsAreTimed() throws Exception {
		assertThat(Scrapes.get(this.port, "/virtual").body()).isEqualTo("virtual=true");
		String requests = this.registry.find("executor")
			.timers()
			.stream()
			.map((timer) -> timer.getId().getTag("name"))
			.filter((name) -> name.startsWith("http-nio-"))
			.findFirst()
			.orElseThrow();
		Awaits.atLeast(() -> this.registry.get("executor").tag("name", requests).timer().count(), 1);
		Awaits.atLeast(() -> this.registry.get("executor").tag("name", "applicationTaskExecutor").timer().count(), 1);
		assertThat(this.registry.get("jvm.threads.virtual.active").tag("name", requests).gauge().value())
			.as("this test's own request has ended").isLessThanOrEqualTo(1);
		assertThat(this.registry.get("jvm.threads.virtual.active").tag("name", "applicationTaskExecutor").gauge().value())
			.isZero();
		// The carriers that ran them, in the scheduler's pool rather than ForkJoinPool-N.
		assertThat(Scrapes.labelValues(Scrapes.prometheus(this.port).body(), "jvm_threads_pool_states_threads", "pool"))
			.contains("virtual-thread-scheduler")
			.noneMatch((pool) -> pool.startsWith("ForkJoinPool-"));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_24, disabledReason = Jdk.NEEDS_24)
	void schedulerGaugesAppearOnceFromBootsVirtualThreadMetrics() throws Exception {
		String scrape = Scrapes.prometheus(this.port).body();
		assertThat(scrape.lines().filter((line) -> line.startsWith("# TYPE jvm_threads_virtual_parallelism")))
			.hasSize(1);
		assertThat(Scrapes.value(scrape, "jvm_threads_virtual_parallelism", ""))
			.isEqualTo(Runtime.getRuntime().availableProcessors());
		assertThat(Scrapes.labelValues(scrape, "jvm_threads_virtual_live_threads", "scheduling_status"))
			.containsExactlyInAnyOrder("mounted", "queued");
	}

	@SpringBootApplication
	@EnableAsync
	@RestController
	@Import(Worker.class)
	static class VirtualApplication {

		private final Worker worker;

		VirtualApplication(Worker worker) {
			this.worker = worker;
		}

		@GetMapping("/virtual")
		String virtual() throws Exception {
			return this.worker.isVirtual().get() ? "virtual=true" : "virtual=false";
		}

	}

	static class Worker {

		@Async
		CompletableFuture<Boolean> isVirtual() {
			return CompletableFuture.completedFuture(Thread.currentThread().toString().startsWith("VirtualThread"));
		}

	}

}
