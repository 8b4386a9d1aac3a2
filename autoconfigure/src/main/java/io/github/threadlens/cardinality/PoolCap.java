package io.github.threadlens.cardinality;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * Chooses which pools are published under their own name; the rest fold into
 * {@value ThreadLensMeters#OTHER}.
 * <p>
 * Pools are admitted largest first while there is room. Once the cap is reached an
 * outside pool displaces the smallest admitted one only when it has at least twice as many
 * threads: that hysteresis keeps pools of similar size from flapping in and out of the
 * published set, which would churn series in every backend. A pool with no live thread
 * leaves at once.
 */
public final class PoolCap {

	private static final int DISPLACEMENT_FACTOR = 2;

	private final int maxPools;

	private final Set<String> admitted = new LinkedHashSet<>();

	public PoolCap(int maxPools) {
		if (maxPools < 1) {
			throw new IllegalArgumentException("maxPools must be at least 1, was " + maxPools);
		}
		this.maxPools = maxPools;
	}

	/**
	 * The largest number of pools published under their own name.
	 * @return the cap
	 */
	public int maxPools() {
		return this.maxPools;
	}

	/**
	 * Update the admitted set for the current pool sizes.
	 * @param sizes the live thread count of every pool
	 * @return the pools to publish under their own name
	 */
	public synchronized Set<String> admit(Map<String, Integer> sizes) {
		this.admitted.retainAll(sizes.keySet());
		List<String> outside = new ArrayList<>();
		for (String pool : sizes.keySet()) {
			if (!this.admitted.contains(pool)) {
				outside.add(pool);
			}
		}
		outside.sort(Comparator.<String, Integer>comparing(sizes::get).reversed().thenComparing(Comparator.naturalOrder()));
		for (String challenger : outside) {
			if (this.admitted.size() < this.maxPools) {
				this.admitted.add(challenger);
				continue;
			}
			String smallest = smallestAdmitted(sizes);
			int challengerSize = sizes.get(challenger);
			if (challengerSize < DISPLACEMENT_FACTOR * sizes.get(smallest)) {
				// Challengers come largest first: none after this one can displace either.
				break;
			}
			this.admitted.remove(smallest);
			this.admitted.add(challenger);
		}
		return Set.copyOf(this.admitted);
	}

	private String smallestAdmitted(Map<String, Integer> sizes) {
		String smallest = null;
		for (String pool : this.admitted) {
			if (smallest == null || sizes.get(pool) < sizes.get(smallest)) {
				smallest = pool;
			}
		}
		return smallest;
	}

}
