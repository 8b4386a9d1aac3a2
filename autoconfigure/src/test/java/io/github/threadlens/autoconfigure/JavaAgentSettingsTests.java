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
 * the system class path and its runtime telemetry is on, and takes the agent's path as off
 * when it exports no metrics, by the agent's own switches. {@code JavaAgentEndToEndTests}
 * runs the real agent.
 */
class JavaAgentSettingsTests {

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
		assertThat(publishes(true, Map.of(JavaAgentSettings.RUNTIME_TELEMETRY_ENABLED, "false"))).isFalse();
		assertThat(publishes(true, Map.of(JavaAgentSettings.DEFAULT_ENABLED, "false"))).isFalse();
	}

	@Test
	void anAgentToldToExportNoMetricsIsNoPath() {
		assertThat(settings(true, Map.of(JavaAgentSettings.METRICS_EXPORTER, "none")).exportsNoMetrics()).isTrue();
		assertThat(settings(true, Map.of(JavaAgentSettings.METRICS_EXPORTER, "otlp")).exportsNoMetrics()).isFalse();
		assertThat(settings(true, Map.of()).exportsNoMetrics()).as("otlp, the agent's default").isFalse();
		assertThat(settings(false, Map.of(JavaAgentSettings.METRICS_EXPORTER, "none")).exportsNoMetrics())
			.as("a setting without the agent")
			.isFalse();
	}

	@Test
	void itsOwnSwitchWinsOverTheDefault() {
		assertThat(publishes(true, Map.of(JavaAgentSettings.DEFAULT_ENABLED, "false",
				JavaAgentSettings.RUNTIME_TELEMETRY_ENABLED, "true")))
			.isTrue();
	}

	private boolean publishes(boolean agent, Map<String, String> settings) {
		return settings(agent, settings).publishesThreadCount();
	}

	private JavaAgentSettings settings(boolean agent, Map<String, String> settings) {
		try {
			Path classPath = Files.createTempDirectory(this.classPath, "class-path");
			if (agent) {
				Path entryPoint = classPath
					.resolve(JavaAgentSettings.AGENT_CLASS.replace('.', '/') + ".class");
				Files.createDirectories(entryPoint.getParent());
				Files.write(entryPoint, new byte[0]);
			}
			try (URLClassLoader loader = new URLClassLoader(new URL[] { classPath.toUri().toURL() }, null)) {
				return new JavaAgentSettings(loader, settings::get);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
