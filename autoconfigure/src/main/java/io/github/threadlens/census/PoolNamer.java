package io.github.threadlens.census;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Decides which pool a thread belongs to: exact attribution first, then the user's rules in
 * order, then the carriers of virtual threads as the pool {@value #VIRTUAL_THREAD_SCHEDULER},
 * then the {@link PoolNameNormalizer default normalizer}. The census calls it once per
 * thread and name, the roster caching the answer; the JFR stream names the thread of an event
 * by its name alone when the thread has ended.
 * <p>
 * Rules and the normalizer see the thread's {@link PrintableText printable} name cut to a
 * maximum length, so that naming costs the same for a name of any length and the pool label
 * is always short, printable and valid UTF-8. A thread
 * with an empty name belongs to the pool {@value #UNNAMED}.
 */
public final class PoolNamer {

	/** The pool of threads whose name is empty. */
	public static final String UNNAMED = "unnamed";

	/**
	 * The pool of the threads that carry virtual threads, the JDK's virtual-thread scheduler,
	 * whose names ({@code ForkJoinPool-1-worker-N}) tell nothing of it.
	 */
	public static final String VIRTUAL_THREAD_SCHEDULER = "virtual-thread-scheduler";

	/** The class of the JDK's carrier threads (JDK 21+), known by its public name. */
	private static final String CARRIER_THREAD = "jdk.internal.misc.CarrierThread";

	/** How much of a thread's name is read by default. */
	public static final int DEFAULT_MAX_NAME_LENGTH = 100;

	private final ThreadAttribution attribution;

	private final List<PoolNamingRule> rules;

	private final int maxNameLength;

	private final PoolNameNormalizer normalizer = new PoolNameNormalizer();

	/**
	 * Create a namer that reads the first {@value #DEFAULT_MAX_NAME_LENGTH} characters of a
	 * name.
	 * @param attribution exact attribution of threads that instrumented executors created
	 * @param rules the user's rules, tried in order
	 */
	public PoolNamer(ThreadAttribution attribution, List<PoolNamingRule> rules) {
		this(attribution, rules, DEFAULT_MAX_NAME_LENGTH);
	}

	/**
	 * Create a namer.
	 * @param attribution exact attribution of threads that instrumented executors created
	 * @param rules the user's rules, tried in order
	 * @param maxNameLength how many characters of a thread's name rules and the normalizer
	 * see, at least 1
	 */
	public PoolNamer(ThreadAttribution attribution, List<PoolNamingRule> rules, int maxNameLength) {
		if (maxNameLength < 1) {
			throw new IllegalArgumentException("maxNameLength must be at least 1");
		}
		this.attribution = attribution;
		this.rules = List.copyOf(rules);
		this.maxNameLength = maxNameLength;
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
		String bounded = PrintableText.of(name, this.maxNameLength);
		String ruled = ruled(bounded);
		if (ruled != null) {
			return ruled;
		}
		return thread.getClass().getName().equals(CARRIER_THREAD) ? VIRTUAL_THREAD_SCHEDULER : normalized(bounded);
	}

	/**
	 * The pool of a thread known only by its name, such as one that ended: the user's rules
	 * and the normalizer, without attribution or the carrier's class, which need the thread.
	 * @param name the thread's name
	 * @return the pool name
	 */
	public String poolOfName(String name) {
		String bounded = PrintableText.of(name, this.maxNameLength);
		String ruled = ruled(bounded);
		return (ruled != null) ? ruled : normalized(bounded);
	}

	private @Nullable String ruled(String bounded) {
		for (PoolNamingRule rule : this.rules) {
			String pool = rule.apply(bounded);
			if (pool != null) {
				return pool.isEmpty() ? UNNAMED : pool;
			}
		}
		return null;
	}

	private String normalized(String bounded) {
		String pool = this.normalizer.normalize(bounded);
		return pool.isEmpty() ? UNNAMED : pool;
	}

}
