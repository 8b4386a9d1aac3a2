package io.github.threadlens.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Prometheus's own {@code promtool}, found by {@link Tools#promtool()}: a test that
 * needs it is skipped where it is missing, and fails there under
 * {@value Tools#REQUIRE_TOOLS}{@code =true}.
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
		command.add(Tools.promtool().getPath());
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

	/**
	 * What promtool said.
	 *
	 * @param exitCode its exit code
	 * @param output its combined output
	 */
	public record Result(int exitCode, String output) {

	}

}
