package io.github.threadlens.census;

import java.util.List;

/**
 * Decides which pool a thread belongs to: exact attribution first, then the user's rules in
 * order, then the {@link PoolNameNormalizer default normalizer}. It is called once per
 * thread and name; the census caches the answer.
 */
public final class PoolNamer {

	private final ThreadAttribution attribution;

	private final List<PoolNamingRule> rules;

	private final PoolNameNormalizer normalizer = new PoolNameNormalizer();

	public PoolNamer(ThreadAttribution attribution, List<PoolNamingRule> rules) {
		this.attribution = attribution;
		this.rules = List.copyOf(rules);
	}

	/**
	 * The pool of a thread.
	 * @param thread the thread
	 * @param name the thread's current name
	 * @return the pool name
	 */
	public String poolOf(Thread thread, String name) {
		String exact = this.attribution.poolOf(thread);
		if (exact != null) {
			return exact;
		}
		for (PoolNamingRule rule : this.rules) {
			String pool = rule.apply(name);
			if (pool != null) {
				return pool;
			}
		}
		return this.normalizer.normalize(name);
	}

}
