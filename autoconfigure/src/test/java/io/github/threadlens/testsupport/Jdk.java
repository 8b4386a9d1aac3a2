package io.github.threadlens.testsupport;

/**
 * Why a test that needs a newer JDK than the build's release (17) is disabled, for
 * {@code @EnabledForJreRange(disabledReason = ...)}. {@code .ci/run} accepts a skipped test
 * only with this wording, {@code needs JDK N+}, and only on a JDK older than N.
 */
public final class Jdk {

	/** Virtual threads. */
	public static final String NEEDS_21 = "needs JDK 21+";

	/** The virtual thread scheduler's MXBean. */
	public static final String NEEDS_24 = "needs JDK 24+";

	private Jdk() {
	}

}
