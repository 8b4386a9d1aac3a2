package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deadlocks found in the graph of which thread waits for a lock that which other thread
 * holds, as the JVM's own detection defines them: threads in a cycle, each holding a lock
 * the previous one waits for. Each thread waits for at most one lock, so following owners
 * from every thread finds every cycle in one walk.
 */
final class LockCycles {

	private LockCycles() {
	}

	/**
	 * The cycles.
	 * @param infos threads' states and locks, {@code null} entries allowed
	 * @return each cycle's threads, in the order each waits for the next one's lock
	 */
	static List<List<ThreadInfo>> find(ThreadInfo[] infos) {
		Map<Long, ThreadInfo> waiting = new HashMap<>();
		for (ThreadInfo info : infos) {
			if (info != null && info.getLockOwnerId() >= 0 && info.getThreadState() != Thread.State.RUNNABLE) {
				waiting.put(info.getThreadId(), info);
			}
		}
		List<List<ThreadInfo>> cycles = new ArrayList<>();
		Set<Long> done = new HashSet<>();
		for (long start : waiting.keySet()) {
			List<Long> path = new ArrayList<>();
			Set<Long> onPath = new HashSet<>();
			long id = start;
			while (waiting.containsKey(id) && !done.contains(id) && onPath.add(id)) {
				path.add(id);
				id = waiting.get(id).getLockOwnerId();
			}
			if (onPath.contains(id) && !done.contains(id)) {
				cycles.add(path.subList(path.indexOf(id), path.size()).stream().map(waiting::get).toList());
			}
			done.addAll(path);
		}
		return cycles;
	}

}
