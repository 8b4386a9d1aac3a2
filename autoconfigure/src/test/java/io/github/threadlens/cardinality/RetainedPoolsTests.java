package io.github.threadlens.cardinality;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetainedPoolsTests {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	@Test
	void aPoolThatLeftIsRetainedForTheGracePeriod() {
		RetainedPools pools = new RetainedPools(2, Duration.ofSeconds(10));
		pools.update(Set.of("a", "b"), 0);
		pools.update(Set.of("a"), SECOND);
		assertThat(pools.retained()).as("b left: in its grace period").containsExactlyInAnyOrder("a", "b");
		pools.update(Set.of("a"), 10 * SECOND);
		assertThat(pools.retained()).containsExactlyInAnyOrder("a", "b");
		pools.update(Set.of("a"), 11 * SECOND);
		assertThat(pools.retained()).as("b retired").containsExactly("a");
	}

	@Test
	void aPoolBackWithinItsGracePeriodStaysRetained() {
		RetainedPools pools = new RetainedPools(2, Duration.ofSeconds(10));
		pools.update(Set.of("a", "b"), 0);
		pools.update(Set.of("a"), SECOND);
		pools.update(Set.of("a", "b"), 5 * SECOND);
		pools.update(Set.of("a", "b"), 20 * SECOND);
		pools.update(Set.of("a"), 21 * SECOND);
		assertThat(pools.retained()).as("its grace period starts again").containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void atMostTheCapIsInItsGracePeriodTheLongestGoneRetiredFirst() {
		RetainedPools pools = new RetainedPools(2, Duration.ofHours(1));
		pools.update(Set.of("p1"), 0);
		pools.update(Set.of("p2"), SECOND);
		pools.update(Set.of("p3"), 2 * SECOND);
		assertThat(pools.retained()).containsExactlyInAnyOrder("p1", "p2", "p3");
		pools.update(Set.of("p4"), 3 * SECOND);
		assertThat(pools.retained()).as("three would be in their grace period").containsExactlyInAnyOrder("p2", "p3",
				"p4");
	}

	@Test
	void withoutAGracePeriodAPoolIsRetiredByTheUpdateThatFindsItGone() {
		RetainedPools pools = new RetainedPools(2, Duration.ZERO);
		pools.update(Set.of("a", "b"), 0);
		pools.update(Set.of("a"), 0);
		assertThat(pools.retained()).containsExactly("a");
	}

}
