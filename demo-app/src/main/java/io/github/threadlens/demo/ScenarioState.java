package io.github.threadlens.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The thread states a scenario can hold threads in, spelled as Micrometer tags them.
 */
public enum ScenarioState {

	/** In a socket read that never gets an answer: RUNNABLE, yet using no CPU. */
	RUNNABLE(Thread.State.RUNNABLE),

	/** Entering a monitor another thread holds. */
	BLOCKED(Thread.State.BLOCKED),

	/** Parked without a timeout. */
	WAITING(Thread.State.WAITING),

	/** Parked with a timeout. */
	TIMED_WAITING(Thread.State.TIMED_WAITING);

	private final Thread.State threadState;

	ScenarioState(Thread.State threadState) {
		this.threadState = threadState;
	}

	/**
	 * The JVM state threads of this scenario reach.
	 * @return the thread state
	 */
	public Thread.State threadState() {
		return this.threadState;
	}

	/**
	 * The tag value, e.g. {@code timed-waiting}.
	 * @return the name as Micrometer writes it
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/**
	 * Parse a state name, accepting {@code timed-waiting} and {@code timed_waiting} in any case.
	 * @param value the name
	 * @return the state
	 * @throws IllegalArgumentException naming the valid values
	 */
	public static ScenarioState parse(String value) {
		String normalized = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		for (ScenarioState state : values()) {
			if (state.name().equals(normalized)) {
				return state;
			}
		}
		throw new IllegalArgumentException("Parameter 'state' must be one of "
				+ Arrays.stream(values()).map(ScenarioState::tagValue).collect(Collectors.joining(", ")) + ", was '"
				+ value + "'");
	}

}
