package io.github.threadlens.autoconfigure;

import java.util.Locale;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * What the OpenTelemetry Java agent does with metrics, as far as ThreadLens needs to know: whether
 * its runtime telemetry publishes {@code jvm.thread.count}, so that ThreadLens leaves that
 * instrument to it, and whether it exports metrics at all, which its global
 * {@code OpenTelemetry} does not tell (it hands out working meters either way). The agent reads
 * its settings from system properties and environment variables, and so does this; a setting
 * only in the agent's configuration file ({@code otel.javaagent.configuration-file}) is not
 * seen.
 */
final class JavaAgentSettings {

	/** The agent's entry point, which {@code -javaagent} puts on the system class path. */
	static final String AGENT_CLASS = "io.opentelemetry.javaagent.OpenTelemetryAgent";

	static final String RUNTIME_TELEMETRY_ENABLED = "otel.instrumentation.runtime-telemetry.enabled";

	static final String DEFAULT_ENABLED = "otel.instrumentation.common.default-enabled";

	static final String METRICS_EXPORTER = "otel.metrics.exporter";

	private final UnaryOperator<@Nullable String> settings;

	private final boolean present;

	JavaAgentSettings(ClassLoader systemClassLoader, UnaryOperator<@Nullable String> settings) {
		this.present = systemClassLoader.getResource(AGENT_CLASS.replace('.', '/') + ".class") != null;
		this.settings = settings;
	}

	/**
	 * The settings of the agent this JVM runs with, if any.
	 * @return the settings
	 */
	static JavaAgentSettings ofThisJvm() {
		return new JavaAgentSettings(ClassLoader.getSystemClassLoader(), JavaAgentSettings::setting);
	}

	/**
	 * Whether the agent runs in this JVM with its runtime telemetry on.
	 * @return whether it publishes {@code jvm.thread.count}
	 */
	boolean publishesThreadCount() {
		if (!this.present) {
			return false;
		}
		String enabled = this.settings.apply(RUNTIME_TELEMETRY_ENABLED);
		if (enabled != null) {
			return Boolean.parseBoolean(enabled);
		}
		String defaultEnabled = this.settings.apply(DEFAULT_ENABLED);
		return defaultEnabled == null || Boolean.parseBoolean(defaultEnabled);
	}

	/**
	 * Whether the agent was told to export no metrics.
	 * @return whether {@code otel.metrics.exporter} is {@code none}
	 */
	boolean exportsNoMetrics() {
		String exporter = this.settings.apply(METRICS_EXPORTER);
		return this.present && exporter != null && exporter.trim().equalsIgnoreCase("none");
	}

	/** A setting as the agent reads it: the system property, else the environment variable. */
	private static @Nullable String setting(String name) {
		String property = System.getProperty(name);
		return (property != null) ? property
				: System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
	}

}
