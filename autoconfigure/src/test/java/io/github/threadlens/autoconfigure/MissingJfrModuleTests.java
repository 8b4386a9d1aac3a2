package io.github.threadlens.autoconfigure;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.threadlens.blocking.CollectorFailures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A runtime without the {@code jdk.jfr} module, as a jlink image or {@code --limit-modules}
 * makes it: a JVM started with every system module but those, running ThreadLens's collectors,
 * logs once that the JFR timers are not published and counts the {@code jfr} collector.
 */
class MissingJfrModuleTests {

	private static final String REASON = "This runtime has no jdk.jfr module";

	@Test
	void missingJfrIsLoggedOnceAndCounted(@TempDir Path directory) throws Exception {
		Path output = directory.resolve("output.txt");
		Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"--limit-modules", modulesWithout("jdk.jfr"), "-cp", System.getProperty("java.class.path"),
				WithoutJfr.class.getName())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		boolean exited = process.waitFor(2, TimeUnit.MINUTES);
		if (!exited) {
			process.destroyForcibly();
		}
		String printed = Files.readString(output, StandardCharsets.UTF_8);
		String tail = printed.substring(Math.max(0, printed.length() - 4000));
		assertThat(exited).as(tail).isTrue();
		assertThat(process.exitValue()).as(tail).isZero();
		assertThat(printed).as(tail)
			.contains("jdk.jfr in the runtime: false")
			.contains("JFR recorder: false")
			.contains("jfr failures: 1")
			.contains("sampler failures: 0");
		assertThat(printed.split(REASON, -1)).as("logged once").hasSize(2);
	}

	/**
	 * Every system module except those that need {@code excluded}, directly or not: what
	 * {@code --limit-modules} must list to leave it out, since it adds what the listed modules
	 * require.
	 */
	private static String modulesWithout(String excluded) {
		Map<String, ModuleDescriptor> system = ModuleFinder.ofSystem()
			.findAll()
			.stream()
			.map(ModuleReference::descriptor)
			.collect(Collectors.toMap(ModuleDescriptor::name, (descriptor) -> descriptor));
		return system.keySet()
			.stream()
			.filter((module) -> !requires(module, excluded, system))
			.sorted()
			.collect(Collectors.joining(","));
	}

	private static boolean requires(String module, String needed, Map<String, ModuleDescriptor> system) {
		Set<String> seen = new HashSet<>();
		Deque<String> pending = new ArrayDeque<>(List.of(module));
		while (!pending.isEmpty()) {
			String next = pending.pop();
			if (next.equals(needed)) {
				return true;
			}
			if (seen.add(next) && system.containsKey(next)) {
				system.get(next).requires().forEach((requires) -> pending.push(requires.name()));
			}
		}
		return false;
	}

	/**
	 * The application in the JVM without JFR: it starts the collectors and prints what the
	 * test checks. It names the JFR bean rather than its class, which cannot load there.
	 */
	static final class WithoutJfr {

		public static void main(String[] args) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ThreadLensCensusAutoConfiguration.class,
						ThreadLensBlockingAutoConfiguration.class))
				.withPropertyValues("threadlens.sampling.enabled=false")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					CollectorFailures failures = context.getBean(CollectorFailures.class);
					System.out.println("jdk.jfr in the runtime: " + ModuleLayer.boot().findModule("jdk.jfr").isPresent());
					System.out.println("JFR recorder: " + context.containsBean("threadLensJfrContention"));
					System.out.println("jfr failures: " + failures.count("jfr"));
					System.out.println("sampler failures: " + failures.count("sampler"));
				});
		}

	}

}
