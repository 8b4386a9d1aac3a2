package io.github.threadlens.blocking;

import java.util.List;

/**
 * Threads grouped by pool, state, reason and identical top frames, largest groups first:
 * the answer to "why are there 800 threads in this pool?".
 *
 * @param threads how many live threads matched the filters, virtual threads included when
 * asked for
 * @param groups the groups, largest first, at most the requested number
 */
public record ThreadDump(int threads, List<Group> groups) {

	public ThreadDump {
		groups = List.copyOf(groups);
	}

	/**
	 * Threads that share pool, kind, state, reason and top frames.
	 *
	 * @param count how many threads
	 * @param pool their pool
	 * @param virtual whether they are virtual threads
	 * @param state their state, {@code unknown} for virtual threads whose state the JDK's
	 * dump does not give
	 * @param reason why they wait, or {@code running}, or {@code unknown} with the state
	 * @param frames their shared top frames, innermost first
	 * @param examples a few of their names
	 */
	public record Group(int count, String pool, boolean virtual, String state, String reason, List<String> frames,
			List<String> examples) {

		public Group {
			frames = List.copyOf(frames);
			examples = List.copyOf(examples);
		}

	}

}
