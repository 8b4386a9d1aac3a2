package io.github.threadlens.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Live threads that thread-group enumeration, which the census uses, cannot see, but
 * {@code ThreadMXBean} counts: JVM-internal threads outside any group, such as JFR's recorder
 * thread on JDK 17 once a recording has run in the JVM. Tests that compare the census with
 * the MXBean leave them out of the MXBean's side.
 */
public final class UngroupedThreads {

	private UngroupedThreads() {
	}

	/**
	 * The ungrouped threads now.
	 * @return their states and names
	 */
	public static List<ThreadInfo> now() {
		ThreadGroup root = Thread.currentThread().getThreadGroup();
		while (root.getParent() != null) {
			root = root.getParent();
		}
		Thread[] grouped = new Thread[root.activeCount() + 64];
		int count = root.enumerate(grouped, true);
		Set<Long> groupedIds = new HashSet<>();
		for (int i = 0; i < count; i++) {
			groupedIds.add(grouped[i].getId());
		}
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long[] ungrouped = Arrays.stream(threads.getAllThreadIds()).filter((id) -> !groupedIds.contains(id)).toArray();
		return Arrays.stream(threads.getThreadInfo(ungrouped)).filter(Objects::nonNull).toList();
	}

}
