package io.github.threadlens.testsupport;

import java.io.File;

import org.junit.jupiter.api.Assumptions;

/**
 * The programs that tests run, found on the {@code PATH}. Where one is missing the test is
 * skipped, naming the Debian package that provides it, so that a developer without it can
 * still build; under {@value #REQUIRE_TOOLS}{@code =true}, which {@code .ci/run} sets, the
 * test fails instead: CI must not pass on checks that never ran.
 */
public final class Tools {

	/** The environment variable under which a missing program fails the test. */
	public static final String REQUIRE_TOOLS = "THREADLENS_REQUIRE_TOOLS";

	private Tools() {
	}

	/**
	 * Prometheus's {@code promtool}.
	 * @return the executable
	 */
	public static File promtool() {
		return find("promtool", "prometheus");
	}

	/**
	 * The Prometheus server.
	 * @return the executable
	 */
	public static File prometheus() {
		return find("prometheus", "prometheus");
	}

	private static File find(String program, String debianPackage) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			File candidate = new File(dir, program);
			if (candidate.isFile() && candidate.canExecute()) {
				return candidate;
			}
		}
		String missing = program + " is not on the PATH (Debian package '" + debianPackage + "')";
		if (Boolean.parseBoolean(System.getenv(REQUIRE_TOOLS))) {
			throw new AssertionError(missing + " and " + REQUIRE_TOOLS + "=true requires it");
		}
		return Assumptions.abort(missing + "; .ci/run installs it");
	}

}
