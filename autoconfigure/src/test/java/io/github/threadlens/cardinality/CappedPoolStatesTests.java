package io.github.threadlens.cardinality;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.CensusSnapshot;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.PoolNamingRule;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.testsupport.RealThreads;
import io.github.threadlens.testsupport.Scrapes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CappedPoolStatesTests {

	private final RealThreads threads = new RealThreads();

	@AfterEach
	void stopThreads() throws Exception {
		this.threads.close();
	}

	@Test
	void foldsSmallPoolsIntoOtherAndCountsThem() {
		this.threads.start("capped-big", 40, Thread.State.WAITING);
		AtomicLong now = new AtomicLong();
		// A ticker that moves only when told: the view and the test read the same snapshot.
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
				Duration.ofSeconds(1), now::get);
		CensusSnapshot snapshot = census.snapshot();
		CappedPoolStates states = new CappedPoolStates(census, new PoolCap(1), EnumSet.allOf(Thread.State.class));

		CappedPoolStates.View view = states.current();

		assertThat(view.pools()).containsExactlyInAnyOrder("capped-big", ThreadLensMeters.OTHER);
		assertThat(view.count("capped-big", Thread.State.WAITING)).isEqualTo(40);
		int folded = snapshot.pools().size() - 1;
		assertThat(states.overflowTotal()).isEqualTo(folded);
		int otherCounted = 0;
		for (Thread.State state : Thread.State.values()) {
			otherCounted += view.count(ThreadLensMeters.OTHER, state);
		}
		assertThat(otherCounted).isEqualTo(snapshot.live() - 40);
		states.current();
		assertThat(states.overflowTotal()).as("the same snapshot is counted once").isEqualTo(folded);
	}

	@Test
	void overflowCountsPoolsThatStartBeingFoldedNotScrapes() throws Exception {
		this.threads.start("stable-a", 60, Thread.State.WAITING);
		this.threads.start("stable-b", 60, Thread.State.WAITING);
		this.threads.start("stable-c", 3, Thread.State.WAITING);
		AtomicLong now = new AtomicLong();
		// Every other thread of this JVM in one pool, so that the pool set stays as the test
		// makes it.
		PoolNamer namer = new PoolNamer(new ThreadAttribution(),
				List.of(new PoolNamingRule(Pattern.compile("(?!stable-).*"), "ambient")));
		CappedPoolStates states = new CappedPoolStates(new ThreadCensus(namer, Duration.ofSeconds(1), now::get),
				new PoolCap(2), EnumSet.allOf(Thread.State.class));
		PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
		try (ObservedMeterBinder binder = new ObservedMeterBinder(List.of(states.meters()))) {
			binder.bindTo(registry);
			double first = scrapeOverflow(registry, now);
			assertThat(first).as("ambient or stable-c, whichever the cap refused first, and stable-c").isEqualTo(2);
			for (int scrape = 0; scrape < 100; scrape++) {
				assertThat(scrapeOverflow(registry, now)).as("a new census each scrape, the same pools folded")
					.isEqualTo(first);
			}
			this.threads.start("stable-d", 2, Thread.State.WAITING);
			assertThat(scrapeOverflow(registry, now)).as("stable-d folded for the first time").isEqualTo(first + 1);
			assertThat(scrapeOverflow(registry, now)).isEqualTo(first + 1);
		}
	}

	@Test
	void aPoolThatLeftIsRetainedForTheGracePeriodAndListenersLearnEachChange() throws Exception {
		RealThreads leaving = new RealThreads();
		leaving.start("stable-leaving", 2, Thread.State.WAITING);
		AtomicLong now = new AtomicLong();
		PoolNamer namer = new PoolNamer(new ThreadAttribution(),
				List.of(new PoolNamingRule(Pattern.compile("(?!stable-).*"), "ambient")));
		CappedPoolStates states = new CappedPoolStates(new ThreadCensus(namer, Duration.ofSeconds(1), now::get),
				new PoolCap(64), EnumSet.allOf(Thread.State.class), Duration.ofSeconds(5), now::get);
		List<Set<String>> told = new CopyOnWriteArrayList<>();
		states.onRetainedPools(told::add);
		assertThat(told).as("nothing before the first view").isEmpty();
		assertThat(states.current().pools()).contains("stable-leaving");
		leaving.close();
		now.addAndGet(Duration.ofSeconds(1).toNanos());
		CappedPoolStates.View left = states.current();
		assertThat(left.pools()).doesNotContain("stable-leaving");
		assertThat(left.retained()).as("in its grace period").containsExactlyInAnyOrder("stable-leaving", "ambient");
		now.addAndGet(Duration.ofSeconds(4).toNanos());
		states.current();
		now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(states.current().retained()).containsExactly("ambient");
		assertThat(told).as("one call per change").containsExactly(Set.of("stable-leaving", "ambient"),
				Set.of("ambient"));
		List<Set<String>> late = new ArrayList<>();
		states.onRetainedPools(late::add);
		assertThat(late).as("told the retained pools at once").containsExactly(Set.of("ambient"));
	}

	private static double scrapeOverflow(PrometheusMeterRegistry registry, AtomicLong now) {
		now.addAndGet(Duration.ofSeconds(1).toNanos());
		return Scrapes.value(registry.scrape(), "threadlens_cardinality_overflow_total",
				"meter=\"jvm.threads.pool.states\"");
	}

	@Test
	void oneViewPerSnapshot() {
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
				Duration.ofHours(1));
		CappedPoolStates states = new CappedPoolStates(census, new PoolCap(64), EnumSet.allOf(Thread.State.class));
		assertThat(states.current()).isSameAs(states.current());
		assertThat(states.overflowTotal()).isZero();
	}

	@Test
	void retainedPoolsReadTheLastViewWithoutTakingACensus() {
		AtomicLong now = new AtomicLong();
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
				Duration.ofSeconds(1), now::get);
		CappedPoolStates states = new CappedPoolStates(census, new PoolCap(64), EnumSet.allOf(Thread.State.class));
		assertThat(states.retainedPools()).as("the first view is taken on demand").contains("main");
		this.threads.start("capped-late", 2, Thread.State.WAITING);
		now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(states.retainedPools()).as("no new snapshot was taken").doesNotContain("capped-late");
		assertThat(states.current().pools()).contains("capped-late");
		assertThat(states.retainedPools()).contains("capped-late");
	}

}
