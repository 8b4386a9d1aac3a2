package io.github.threadlens.autoconfigure;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import io.github.threadlens.executor.MonitoredScheduledExecutorService;
import io.github.threadlens.executor.reactor.ReactorSchedulerInstrumentation;
import io.github.threadlens.testsupport.Awaits;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reactor's schedulers as executors, through real pipelines: the tasks of
 * {@code publishOn}/{@code subscribeOn} timed under the scheduler's name, its pools' gauges
 * summed into one executor, and the JVM-wide decorator held while a context runs.
 * <p>
 * In a JVM of its own: Reactor's decorator is JVM-wide and served by the oldest context that
 * holds it, so a context another test class left cached would take every recording.
 */
class ReactorSchedulersIsolatedTests {

	private final ApplicationContextRunner runner = MetricsContextRunner.create();

	@Test
	void pipelineTasksAreTimedUnderTheirSchedulersNames() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Scheduler parallel = Schedulers.newParallel("tl-parallel", 2);
			Scheduler elastic = Schedulers.newBoundedElastic(3, 100, "tl-elastic");
			try {
				List<String> threads = Flux.range(0, 64)
					.subscribeOn(elastic)
					.publishOn(parallel)
					.map((value) -> Thread.currentThread().getName())
					.collectList()
					.block();
				assertThat(threads).allMatch((thread) -> thread.startsWith("tl-parallel-"));
				// Several boundedElastic workers, each a pool of its own, still one executor.
				Flux.range(0, 12)
					.flatMap((value) -> Mono.fromCallable(() -> value).subscribeOn(elastic))
					.blockLast();
				for (String name : List.of("tl-parallel", "tl-elastic")) {
					Awaits.atLeast(() -> registry.get("executor").tag("name", name).timer().count(), 1);
					Timer wait = registry.get("executor.idle").tag("name", name).timer();
					assertThat(wait.count()).isPositive();
				}
				assertThat(registry.get("executor.pool.max").tag("name", "tl-parallel").gauge().value()).isEqualTo(2);
				assertThat(registry.get("executor.pool.max").tag("name", "tl-elastic").gauge().value()).isEqualTo(3);
				assertThat(registry.get("executor.pool.size").tag("name", "tl-parallel").gauge().value())
					.isBetween(1.0, 2.0);
				assertThat(registry.find("executor").timers()).extracting((timer) -> timer.getId().getTag("name"))
					.filteredOn((name) -> name.startsWith("tl-"))
					.containsExactlyInAnyOrder("tl-parallel", "tl-elastic");
			}
			finally {
				parallel.dispose();
				elastic.dispose();
			}
		});
	}

	@Test
	void aFullBoundedElasticSchedulersRefusalsAreCounted() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			Scheduler elastic = Schedulers.newBoundedElastic(1, 1, "tl-full");
			CountDownLatch release = new CountDownLatch(1);
			try {
				elastic.schedule(() -> Awaits.hold(release));
				// Whether the running task takes the one place depends on Reactor's version:
				// the third task is refused either way.
				int refused = 0;
				for (int i = 0; i < 2; i++) {
					try {
						elastic.schedule(() -> {
						});
					}
					catch (RejectedExecutionException ex) {
						refused++;
					}
				}
				assertThat(refused).isPositive();
				assertThat(registry.get("executor.rejected").tag("name", "tl-full").functionCounter().count())
					.isEqualTo(refused);
			}
			finally {
				release.countDown();
				elastic.dispose();
			}
		});
	}

	@Test
	void theDecoratorIsHeldWhileAContextRunsAndServedByTheOldest() {
		this.runner.run((first) -> {
			this.runner.run((second) -> {
				assertThat(decorated()).isInstanceOf(MonitoredScheduledExecutorService.class);
			});
			Scheduler scheduler = Schedulers.newSingle("tl-after-second");
			try {
				scheduler.schedule(() -> {
				});
				Awaits.atLeast(() -> first.getBean(MeterRegistry.class)
					.get("executor")
					.tag("name", "tl-after-second")
					.timer()
					.count(), 1);
			}
			finally {
				scheduler.dispose();
			}
		});
		assertThat(decorated()).isNotInstanceOf(MonitoredScheduledExecutorService.class);
	}

	@Test
	void turnedOffNothingIsDecorated() {
		this.runner.withPropertyValues("threadlens.executors.reactor.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ReactorSchedulerInstrumentation.class);
			assertThat(decorated()).isNotInstanceOf(MonitoredScheduledExecutorService.class);
		});
	}

	@Test
	void excludedSchedulersAreLeftAlone() {
		this.runner.withPropertyValues("threadlens.executors.exclude=tl-excluded").run((context) -> {
			Scheduler scheduler = Schedulers.newSingle("tl-excluded");
			try {
				assertThat(Schedulers.decorateExecutorService(scheduler, new ScheduledThreadPoolExecutor(1)))
					.isNotInstanceOf(MonitoredScheduledExecutorService.class);
			}
			finally {
				scheduler.dispose();
			}
		});
	}

	@Test
	void schedulersAreNamedAsTheirThreads() {
		ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor();
		List<Scheduler> schedulers = List.of(Schedulers.newParallel("orders", 2),
				Schedulers.newBoundedElastic(4, 10, "images"), Schedulers.newSingle("audit"),
				Schedulers.fromExecutorService(pool, "legacy"), Schedulers.fromExecutorService(pool));
		try {
			assertThat(schedulers).extracting(ReactorSchedulerInstrumentation::name)
				.containsExactly("orders", "images", "audit", "legacy", "anonymousExecutor");
		}
		finally {
			schedulers.forEach(Scheduler::dispose);
			pool.shutdown();
		}
	}

	private static ScheduledExecutorService decorated() {
		Scheduler scheduler = Schedulers.newSingle("tl-probe");
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1);
		try {
			return Schedulers.decorateExecutorService(scheduler, pool);
		}
		finally {
			scheduler.dispose();
			pool.shutdown();
		}
	}

}
