package io.github.threadlens.cardinality;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PoolCapTests {

	@Test
	void admitsLargestPoolsUpToTheCap() {
		PoolCap cap = new PoolCap(2);
		assertThat(cap.admit(Map.of("a", 5, "b", 9, "c", 1))).containsExactlyInAnyOrder("a", "b");
	}

	@Test
	void challengerNeedsTwiceTheSmallestToDisplaceIt() {
		PoolCap cap = new PoolCap(2);
		Map<String, Integer> sizes = new HashMap<>(Map.of("a", 10, "b", 4));
		assertThat(cap.admit(sizes)).containsExactlyInAnyOrder("a", "b");
		sizes.put("c", 7);
		assertThat(cap.admit(sizes)).as("7 < 2 x 4: no flapping").containsExactlyInAnyOrder("a", "b");
		sizes.put("c", 8);
		assertThat(cap.admit(sizes)).containsExactlyInAnyOrder("a", "c");
		sizes.put("b", 5);
		assertThat(cap.admit(sizes)).as("b is now outside and 5 < 2 x 8").containsExactlyInAnyOrder("a", "c");
	}

	@Test
	void vanishedPoolsLeaveAndFreeRoom() {
		PoolCap cap = new PoolCap(2);
		cap.admit(Map.of("a", 3, "b", 3));
		assertThat(cap.admit(Map.of("a", 3, "c", 1))).containsExactlyInAnyOrder("a", "c");
	}

	@Test
	void rejectsANonPositiveCap() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PoolCap(0));
	}

}
