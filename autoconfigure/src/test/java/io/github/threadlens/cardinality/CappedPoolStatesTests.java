package io.github.threadlens.cardinality;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.threadlens.census.CensusSnapshot;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.testsupport.RealThreads;
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

		assertThat(view.pools()).containsExactlyInAnyOrder("capped-big", PoolCap.OTHER);
		assertThat(view.count("capped-big", Thread.State.WAITING)).isEqualTo(40);
		int folded = snapshot.pools().size() - 1;
		assertThat(states.overflowTotal()).isEqualTo(folded);
		int otherCounted = 0;
		for (Thread.State state : Thread.State.values()) {
			otherCounted += view.count(PoolCap.OTHER, state);
		}
		assertThat(otherCounted).isEqualTo(snapshot.live() - 40);
		states.current();
		assertThat(states.overflowTotal()).as("the same snapshot is counted once").isEqualTo(folded);
		now.addAndGet(Duration.ofSeconds(1).toNanos());
		states.current();
		assertThat(states.overflowTotal()).as("counted again for the next snapshot").isGreaterThan(folded);
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
	void publishedPoolsReadTheLastViewWithoutTakingACensus() {
		this.threads.start("capped-big", 40, Thread.State.WAITING);
		AtomicLong now = new AtomicLong();
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
				Duration.ofSeconds(1), now::get);
		CappedPoolStates states = new CappedPoolStates(census, new PoolCap(1), EnumSet.allOf(Thread.State.class));
		assertThat(states.publishedPools()).as("the first view is taken on demand")
			.containsExactlyInAnyOrder("capped-big", PoolCap.OTHER);
		long folded = states.overflowTotal();
		now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(states.publishedPools()).containsExactlyInAnyOrder("capped-big", PoolCap.OTHER);
		assertThat(states.overflowTotal()).as("no new snapshot was folded").isEqualTo(folded);
		states.current();
		assertThat(states.overflowTotal()).isGreaterThan(folded);
	}

}
