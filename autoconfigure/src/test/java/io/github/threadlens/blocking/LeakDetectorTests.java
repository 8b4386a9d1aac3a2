package io.github.threadlens.blocking;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.github.threadlens.actuate.ThreadLeakHealthIndicator;
import io.github.threadlens.autoconfigure.ThreadLensBlockingAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensCensusAutoConfiguration;
import io.github.threadlens.autoconfigure.ThreadLensHealthAutoConfiguration;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.RealThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real pools that grow, stay flat, fall back or fill up to their bound, watched through the
 * census on a clock the test moves.
 */
class LeakDetectorTests {

	private static final Duration WINDOW = Duration.ofSeconds(10);

	private final RealThreads threads = new RealThreads();

	private final AtomicLong now = new AtomicLong();

	private final ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
			Duration.ZERO, this.now::get);

	private final LeakDetector detector = new LeakDetector(this.census, WINDOW, 5,
			(pool) -> pool.equals("bounded") ? OptionalInt.of(8) : OptionalInt.empty(),
			() -> Set.of("leaky", "bounded", "steady"), this.now::get);

	@AfterEach
	void stop() throws Exception {
		this.threads.close();
	}

	@Test
	void aPoolGrowingThroughTheWholeWindowIsSuspectedAndABoundedOneAtItsMaxIsNot() throws Exception {
		this.threads.start("leaky", 2, Thread.State.WAITING);
		this.threads.start("bounded", 2, Thread.State.WAITING);
		this.threads.start("steady", 3, Thread.State.WAITING);
		observeAt(0);
		this.threads.start("leaky", 3, Thread.State.WAITING);
		this.threads.start("bounded", 3, Thread.State.WAITING);
		observeAt(5);
		assertThat(this.detector.suspects()).as("not a whole window yet").isEmpty();
		this.threads.start("leaky", 2, Thread.State.WAITING);
		this.threads.start("bounded", 3, Thread.State.WAITING);
		observeAt(11);
		assertThat(this.detector.suspects()).singleElement().satisfies((suspect) -> {
			assertThat(suspect.pool()).isEqualTo("leaky");
			assertThat(suspect.threads()).isEqualTo(7);
			assertThat(suspect.growth()).isEqualTo(5);
		});
		ObservedMeters meters = this.detector.meters();
		assertThat(meters.meters().get(0).source().get().get(List.of("leaky"))).isEqualTo(1);
		assertThat(meters.meters().get(0).source().get().get(List.of("bounded"))).isZero();
		assertThat(meters.meters().get(0).source().get().get(List.of("steady"))).isZero();
	}

	@Test
	void growthThatStoppedOrFellBackIsNotALeak() throws Exception {
		this.threads.start("leaky", 8, Thread.State.WAITING);
		observeAt(0);
		RealThreads shrinking = new RealThreads();
		shrinking.start("shrinking", 6, Thread.State.WAITING);
		observeAt(2);
		shrinking.close();
		this.threads.start("shrinking", 2, Thread.State.WAITING);
		observeAt(6);
		this.threads.start("shrinking", 10, Thread.State.WAITING);
		observeAt(13);
		assertThat(this.detector.suspects()).as("leaky grew before the window, shrinking fell back within it")
			.isEmpty();
	}

	private void observeAt(long seconds) {
		this.now.set(Duration.ofSeconds(seconds).toNanos());
		this.detector.suspects();
	}

	@Test
	void healthIndicatorIsAutoConfiguredAndCanBeTurnedOff() {
		ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(
				ThreadLensCensusAutoConfiguration.class, ThreadLensBlockingAutoConfiguration.class,
				ThreadLensHealthAutoConfiguration.class));
		runner.run((context) -> assertThat(context).hasSingleBean(ThreadLeakHealthIndicator.class)
			.hasBean("threadLeakHealthIndicator"));
		runner.withPropertyValues("management.health.threadleak.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ThreadLeakHealthIndicator.class)
				.hasSingleBean(LeakDetector.class));
		runner.withPropertyValues("threadlens.leak.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LeakDetector.class)
				.doesNotHaveBean(ThreadLeakHealthIndicator.class));
	}

}
