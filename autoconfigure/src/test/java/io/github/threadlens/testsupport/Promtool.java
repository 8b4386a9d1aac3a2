package io.github.threadlens.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Runs Prometheus's own {@code promtool} (Debian package {@code prometheus}, installed by
 * {@code .ci/run}). Tests that need it are skipped only where it cannot be found.
 */
public final class Promtool {

	private Promtool() {
	}

	/**
	 * Lint a scrape the way Prometheus's tooling does.
	 * @param exposition the scraped text
	 * @return promtool's exit code and output
	 * @throws Exception if promtool cannot be run
	 */
	public static Result checkMetrics(String exposition) throws Exception {
		return run(exposition, "check", "metrics");
	}

	/**
	 * Check a Prometheus configuration file.
	 * @param file the file
	 * @return promtool's exit code and output
	 * @throws Exception if promtool cannot be run
	 */
	public static Result checkConfig(File file) throws Exception {
		return run("", "check", "config", file.getPath());
	}

	/**
	 * Check a rule file.
	 * @param file the file
	 * @return promtool's exit code and output
	 * @throws Exception if promtool cannot be run
	 */
	public static Result checkRules(File file) throws Exception {
		return run("", "check", "rules", file.getPath());
	}

	/**
	 * Run rule unit tests.
	 * @param file the test file, which names the rule files it loads
	 * @return promtool's exit code and output
	 * @throws Exception if promtool cannot be run
	 */
	public static Result testRules(File file) throws Exception {
		return run("", "test", "rules", file.getPath());
	}

	private static Result run(String stdin, String... args) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(executable());
		command.addAll(List.of(args));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		try (OutputStream input = process.getOutputStream()) {
			input.write(stdin.getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			// promtool may exit before reading everything; its output says why.
		}
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(2, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("promtool did not finish");
		}
		return new Result(process.exitValue(), output);
	}

	private static String executable() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			File candidate = new File(dir, "promtool");
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		Assumptions.abort("promtool is not installed (Debian package 'prometheus'); .ci/run installs it");
		throw new IllegalStateException("unreachable");
	}

	/**
	 * What promtool said.
	 *
	 * @param exitCode its exit code
	 * @param output its combined output
	 */
	public record Result(int exitCode, String output) {

	}

}
