package io.github.threadlens.autoconfigure;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ThreadLens leaves {@code jvm.thread.count} to the Java agent exactly when the agent is on
 * the system class path and its runtime telemetry is on, by the agent's own switches.
 * {@code JavaAgentEndToEndTests} runs the real agent.
 */
class JavaAgentRuntimeTelemetryTests {

	@TempDir
	Path classPath;

	@Test
	void withoutTheAgentThreadLensPublishesTheThreadCount() {
		assertThat(publishes(false, Map.of())).isFalse();
	}

	@Test
	void theAgentsRuntimeTelemetryIsOnByDefault() {
		assertThat(publishes(true, Map.of())).isTrue();
	}

	@Test
	void theAgentsSwitchesTurnItOff() {
		assertThat(publishes(true, Map.of(JavaAgentRuntimeTelemetry.ENABLED, "false"))).isFalse();
		assertThat(publishes(true, Map.of(JavaAgentRuntimeTelemetry.DEFAULT_ENABLED, "false"))).isFalse();
	}

	@Test
	void itsOwnSwitchWinsOverTheDefault() {
		assertThat(publishes(true, Map.of(JavaAgentRuntimeTelemetry.DEFAULT_ENABLED, "false",
				JavaAgentRuntimeTelemetry.ENABLED, "true")))
			.isTrue();
	}

	private boolean publishes(boolean agent, Map<String, String> settings) {
		try {
			if (agent) {
				Path entryPoint = this.classPath
					.resolve(JavaAgentRuntimeTelemetry.AGENT_CLASS.replace('.', '/') + ".class");
				Files.createDirectories(entryPoint.getParent());
				Files.write(entryPoint, new byte[0]);
			}
			try (URLClassLoader loader = new URLClassLoader(new URL[] { this.classPath.toUri().toURL() }, null)) {
				return JavaAgentRuntimeTelemetry.publishesThreadCount(loader, settings::get);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
