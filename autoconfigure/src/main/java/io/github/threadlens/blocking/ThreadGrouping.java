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
 * Builds a {@link ThreadDump}: one read of every live thread's state and top frames,
 * grouped like a goroutine profile. Taken on request only, never on a schedule. Names and
 * frames are shown {@link PrintableText printable}, so that a thread's name can neither forge
 * lines of the text form nor make the JSON unreadable.
 */
public final class ThreadGrouping {

	private static final int EXAMPLES = 3;

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
	 * Group the live threads that pass the filters.
	 * @param pool only this pool, or all
	 * @param state only this state, or all
	 * @param reason only this reason ({@code running} for running threads), or all
	 * @param depth how many top frames two threads must share to be grouped together
	 * @param limit the most groups returned
	 * @return the grouped dump
	 */
	public ThreadDump group(@Nullable String pool, Thread.@Nullable State state, @Nullable String reason, int depth,
			int limit) {
		ThreadRoster.Stacks stacks = this.roster.stacks(this.threads, Math.max(depth, 16),
				(threadPool) -> pool == null || pool.equals(threadPool));
		ThreadInfo[] infos = stacks.infos();
		List<String> pools = stacks.pools();
		Map<List<Object>, Builder> groups = new LinkedHashMap<>();
		int matched = 0;
		for (int i = 0; i < infos.length; i++) {
			ThreadInfo info = infos[i];
			if (info == null || (state != null && info.getThreadState() != state)) {
				continue;
			}
			BlockingReason classified = this.classifier.classify(info);
			String why = (classified != null) ? classified.tagValue() : "running";
			if (reason != null && !reason.equals(why)) {
				continue;
			}
			matched++;
			List<String> frames = new ArrayList<>();
			StackTraceElement[] stack = info.getStackTrace();
			for (int f = 0; f < Math.min(depth, stack.length); f++) {
				frames.add(describe(stack[f]));
			}
			List<Object> key = List.of(pools.get(i), info.getThreadState().name(), why, frames);
			groups.computeIfAbsent(key, (k) -> new Builder(k))
				.add(PrintableText.of(info.getThreadName(), MAX_TEXT_LENGTH));
		}
		List<ThreadDump.Group> sorted = groups.values()
			.stream()
			.map(Builder::build)
			.sorted(Comparator.comparingInt(ThreadDump.Group::count).reversed())
			.limit(limit)
			.toList();
		return new ThreadDump(matched, sorted);
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
			return new ThreadDump.Group(this.count, (String) this.key.get(0), (String) this.key.get(1),
					(String) this.key.get(2), (List<String>) this.key.get(3), this.examples);
		}

	}

}
