package io.github.threadlens.census;

import java.util.Locale;

/**
 * Thread state names as Micrometer writes them in the {@code state} tag
 * ({@code timed-waiting}), computed once instead of per series per scrape.
 */
public final class ThreadStateNames {

	private static final Thread.State[] STATES = Thread.State.values();

	private static final String[] TAG_VALUES = new String[STATES.length];

	static {
		for (Thread.State state : STATES) {
			TAG_VALUES[state.ordinal()] = state.name().toLowerCase(Locale.ROOT).replace('_', '-');
		}
	}

	private ThreadStateNames() {
	}

	/**
	 * The tag value of a state.
	 * @param state the state
	 * @return its name in Micrometer's spelling
	 */
	public static String tagValue(Thread.State state) {
		return TAG_VALUES[state.ordinal()];
	}

}
