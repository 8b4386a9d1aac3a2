package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.threadlens.catalog.BlockingReason;
import io.github.threadlens.census.PrintableText;
import io.github.threadlens.census.ThreadRoster;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ThreadDump}: one read of every live platform thread's state and top frames,
 * and when asked the virtual threads of the JDK's dump ({@link VirtualThreadDump}), grouped
 * like a goroutine profile. Taken on request only, never on a schedule. Names and
 * frames are shown {@link PrintableText printable}, so that a thread's name can neither forge
 * lines of the text form nor make the JSON unreadable.
 */
public final class ThreadGrouping {

	private static final int EXAMPLES = 3;

	/** The state and reason of a virtual thread whose state the JDK's dump does not give. */
	static final String UNKNOWN = "unknown";

	/** The longest example name or frame shown: a dump stays readable whatever names threads have. */
	private static final int MAX_TEXT_LENGTH = 200;

	private final ThreadMXBean threads;

	private final ThreadRoster roster;

	private final ReasonClassifier classifier = new ReasonClassifier();

	public ThreadGrouping(ThreadMXBean threads, ThreadRoster roster) {
		this.threads = threads;
		this.roster = roster;
	}

	/**
	 * Group the live platform threads that pass the filters.
	 * @param pool only this pool, or all
	 * @param state only this state, or all
	 * @param reason only this reason ({@code running} for running threads), or all
	 * @param depth how many top frames two threads must share to be grouped together
	 * @param limit the most groups returned
	 * @return the grouped dump
	 */
	public ThreadDump group(@Nullable String pool, Thread.@Nullable State state, @Nullable String reason, int depth,
			int limit) {
		return group(pool, state, reason, depth, limit, null);
	}

	/**
	 * Group the live platform threads, and the virtual threads of a dump, that pass the
	 * filters.
	 * @param pool only this pool, or all
	 * @param state only this state, or all
	 * @param reason only this reason ({@code running} for running threads), or all
	 * @param depth how many top frames two threads must share to be grouped together
	 * @param limit the most groups returned
	 * @param virtualThreads where to read the virtual threads, or {@code null} for platform
	 * threads only
	 * @return the grouped dump
	 */
	public ThreadDump group(@Nullable String pool, Thread.@Nullable State state, @Nullable String reason, int depth,
			int limit, @Nullable VirtualThreadDump virtualThreads) {
		int maxDepth = Math.max(depth, 16);
		Groups groups = new Groups(pool, state, reason, depth);
		ThreadRoster.Stacks stacks = this.roster.stacks(this.threads, maxDepth,
				(threadPool) -> pool == null || pool.equals(threadPool));
		ThreadInfo[] infos = stacks.infos();
		for (int i = 0; i < infos.length; i++) {
			ThreadInfo info = infos[i];
			if (info != null) {
				groups.add(stacks.pools().get(i), false, info.getThreadState(), info.getStackTrace(),
						info.getThreadName());
			}
		}
		if (virtualThreads != null) {
			virtualThreads.forEach(maxDepth, (threadPool, threadState, frames, name) -> groups.add(threadPool, true,
					stateOf(threadState), frames, name));
		}
		return groups.dump(limit);
	}

	private static Thread.@Nullable State stateOf(@Nullable String state) {
		for (Thread.State candidate : Thread.State.values()) {
			if (candidate.name().equals(state)) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * A frame as a stack trace prints it, without the module prefix that would split groups
	 * by JDK build.
	 */
	private static String describe(StackTraceElement frame) {
		String location = frame.isNativeMethod() ? "Native Method"
				: (frame.getFileName() != null) ? frame.getFileName() + ":" + frame.getLineNumber() : "Unknown Source";
		return PrintableText.of(frame.getClassName() + "." + frame.getMethodName() + "(" + location + ")",
				MAX_TEXT_LENGTH);
	}

	/**
	 * The groups of one dump: each thread that passes the filters counted in the group of its
	 * pool, kind, state, reason and top frames, which keeps at most {@value #EXAMPLES} of their
	 * names.
	 */
	private final class Groups {

		private final @Nullable String pool;

		private final Thread.@Nullable State state;

		private final @Nullable String reason;

		private final int depth;

		private final Map<List<Object>, Builder> groups = new LinkedHashMap<>();

		private int matched;

		Groups(@Nullable String pool, Thread.@Nullable State state, @Nullable String reason, int depth) {
			this.pool = pool;
			this.state = state;
			this.reason = reason;
			this.depth = depth;
		}

		/**
		 * Count a thread.
		 * @param threadPool its pool
		 * @param virtual whether it is a virtual thread
		 * @param threadState its state, {@code null} when not known
		 * @param stack its top frames
		 * @param name its name
		 */
		void add(String threadPool, boolean virtual, Thread.@Nullable State threadState, StackTraceElement[] stack,
				String name) {
			if ((this.pool != null && !this.pool.equals(threadPool))
					|| (this.state != null && threadState != this.state)) {
				return;
			}
			String why = UNKNOWN;
			if (threadState != null) {
				BlockingReason classified = ThreadGrouping.this.classifier.classify(threadState, stack);
				why = (classified != null) ? classified.tagValue() : "running";
			}
			if (this.reason != null && !this.reason.equals(why)) {
				return;
			}
			this.matched++;
			List<String> frames = new ArrayList<>();
			for (int f = 0; f < Math.min(this.depth, stack.length); f++) {
				frames.add(describe(stack[f]));
			}
			String stateName = (threadState != null) ? threadState.name() : UNKNOWN;
			List<Object> key = List.of(threadPool, virtual, stateName, why, frames);
			this.groups.computeIfAbsent(key, Builder::new).add(PrintableText.of(name, MAX_TEXT_LENGTH));
		}

		ThreadDump dump(int limit) {
			List<ThreadDump.Group> sorted = this.groups.values()
				.stream()
				.map(Builder::build)
				.sorted(Comparator.comparingInt(ThreadDump.Group::count).reversed())
				.limit(limit)
				.toList();
			return new ThreadDump(this.matched, sorted);
		}

	}

	private static final class Builder {

		private final List<Object> key;

		private final List<String> examples = new ArrayList<>();

		private int count;

		Builder(List<Object> key) {
			this.key = key;
		}

		void add(String name) {
			this.count++;
			if (this.examples.size() < EXAMPLES) {
				this.examples.add(name);
			}
		}

		@SuppressWarnings("unchecked")
		ThreadDump.Group build() {
			return new ThreadDump.Group(this.count, (String) this.key.get(0), (Boolean) this.key.get(1),
					(String) this.key.get(2), (String) this.key.get(3), (List<String>) this.key.get(4), this.examples);
		}

	}

}
