package io.github.threadlens.census;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The live platform threads with their pools: one root {@link ThreadGroup} enumeration per
 * pass, each thread's pool resolved once and cached against the thread and its name, so no
 * pattern runs per thread per pass. Threads that died are forgotten on the next pass.
 * <p>
 * Each user (the census, the sampler, the thread dump) owns one; passes over it are
 * serialized.
 */
public final class ThreadRoster {

	private final PoolNamer namer;

	private final ThreadGroup root = rootGroup();

	private final Map<Thread, Membership> memberships = new IdentityHashMap<>();

	private Thread[] buffer = new Thread[256];

	private long pass;

	public ThreadRoster(PoolNamer namer) {
		this.namer = namer;
	}

	/**
	 * Visit every live platform thread with its pool.
	 * @param visitor called once per thread
	 * @return how many threads were visited
	 */
	public synchronized int forEach(Visitor visitor) {
		long current = ++this.pass;
		int enumerated = enumerate();
		int visited = 0;
		for (int i = 0; i < enumerated; i++) {
			Thread thread = this.buffer[i];
			this.buffer[i] = null;
			Membership membership = membershipOf(thread);
			membership.pass = current;
			if (visitor.visit(thread, membership.pool)) {
				visited++;
			}
		}
		if (this.memberships.size() > visited) {
			forgetDeparted(current);
		}
		return visited;
	}

	/**
	 * Read the state and top frames of every live thread whose pool passes a filter.
	 * @param threads the thread MXBean
	 * @param maxDepth the most frames read per thread
	 * @param pools which pools to read
	 * @return the threads' states and stacks with their pools
	 */
	public synchronized Stacks stacks(ThreadMXBean threads, int maxDepth, Predicate<String> pools) {
		List<Thread> live = new ArrayList<>();
		List<String> livePools = new ArrayList<>();
		forEach((thread, pool) -> {
			if (pools.test(pool)) {
				live.add(thread);
				livePools.add(pool);
			}
			return true;
		});
		long[] ids = live.stream().mapToLong(Thread::getId).toArray();
		return new Stacks(threads.getThreadInfo(ids, maxDepth), livePools);
	}

	private int enumerate() {
		int count = this.root.enumerate(this.buffer, true);
		while (count == this.buffer.length) {
			this.buffer = new Thread[this.buffer.length * 2];
			count = this.root.enumerate(this.buffer, true);
		}
		return count;
	}

	private Membership membershipOf(Thread thread) {
		String name = thread.getName();
		Membership membership = this.memberships.get(thread);
		// Identity comparison: a thread's name only changes by setName, which stores a new
		// String.
		if (membership == null || membership.name != name) {
			membership = new Membership(name, this.namer.poolOf(thread, name));
			this.memberships.put(thread, membership);
		}
		return membership;
	}

	private void forgetDeparted(long current) {
		Iterator<Membership> iterator = this.memberships.values().iterator();
		while (iterator.hasNext()) {
			if (iterator.next().pass != current) {
				iterator.remove();
			}
		}
	}

	private static ThreadGroup rootGroup() {
		ThreadGroup group = Thread.currentThread().getThreadGroup();
		while (group.getParent() != null) {
			group = group.getParent();
		}
		return group;
	}

	/**
	 * Threads' states and stacks with their pools, index by index.
	 *
	 * @param infos the states and stacks; {@code null} for a thread that died meanwhile
	 * @param pools the pool of each thread
	 */
	public record Stacks(ThreadInfo[] infos, List<String> pools) {

	}

	/**
	 * Receives each live thread of a pass.
	 */
	@FunctionalInterface
	public interface Visitor {

		/**
		 * Visit one thread.
		 * @param thread the thread
		 * @param pool its pool
		 * @return whether the thread was still alive and counted
		 */
		boolean visit(Thread thread, String pool);

	}

	private static final class Membership {

		private final String name;

		private final String pool;

		private long pass;

		Membership(String name, String pool) {
			this.name = name;
			this.pool = pool;
		}

	}

}
