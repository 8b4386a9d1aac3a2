package io.github.threadlens.cardinality;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

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
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()), Duration.ZERO);
		int poolsBefore = census.snapshot().pools().size();
		CappedPoolStates states = new CappedPoolStates(census, new PoolCap(1), EnumSet.allOf(Thread.State.class));

		CappedPoolStates.View view = states.current();

		assertThat(view.pools()).containsExactlyInAnyOrder("capped-big", PoolCap.OTHER);
		assertThat(view.count("capped-big", Thread.State.WAITING)).isEqualTo(40);
		int folded = poolsBefore - 1;
		assertThat(states.overflowTotal()).isEqualTo(folded);
		int othersLive = census.snapshot().live() - 40;
		int otherCounted = 0;
		for (Thread.State state : Thread.State.values()) {
			otherCounted += view.count(PoolCap.OTHER, state);
		}
		assertThat(otherCounted).isEqualTo(othersLive);
		states.current();
		assertThat(states.overflowTotal()).as("counted again for the next snapshot").isEqualTo(2L * folded);
	}

	@Test
	void oneViewPerSnapshot() {
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()),
				Duration.ofHours(1));
		CappedPoolStates states = new CappedPoolStates(census, new PoolCap(64), EnumSet.allOf(Thread.State.class));
		assertThat(states.current()).isSameAs(states.current());
		assertThat(states.overflowTotal()).isZero();
	}

}
