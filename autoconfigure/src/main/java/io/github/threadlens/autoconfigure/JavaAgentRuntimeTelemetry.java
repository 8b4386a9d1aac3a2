package io.github.threadlens.autoconfigure;

import java.util.Locale;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Whether the OpenTelemetry Java agent's runtime telemetry publishes {@code jvm.thread.count},
 * so that ThreadLens leaves that instrument to it. The agent reads its settings from system
 * properties and environment variables, and so does this; a setting only in the agent's
 * configuration file ({@code otel.javaagent.configuration-file}) is not seen.
 */
final class JavaAgentRuntimeTelemetry {

	/** The agent's entry point, which {@code -javaagent} puts on the system class path. */
	static final String AGENT_CLASS = "io.opentelemetry.javaagent.OpenTelemetryAgent";

	static final String ENABLED = "otel.instrumentation.runtime-telemetry.enabled";

	static final String DEFAULT_ENABLED = "otel.instrumentation.common.default-enabled";

	private JavaAgentRuntimeTelemetry() {
	}

	/**
	 * Whether the agent runs in this JVM with its runtime telemetry on.
	 * @return whether it publishes {@code jvm.thread.count}
	 */
	static boolean publishesThreadCount() {
		return publishesThreadCount(ClassLoader.getSystemClassLoader(), JavaAgentRuntimeTelemetry::setting);
	}

	static boolean publishesThreadCount(ClassLoader systemClassLoader, UnaryOperator<@Nullable String> settings) {
		if (systemClassLoader.getResource(AGENT_CLASS.replace('.', '/') + ".class") == null) {
			return false;
		}
		String enabled = settings.apply(ENABLED);
		if (enabled != null) {
			return Boolean.parseBoolean(enabled);
		}
		String defaultEnabled = settings.apply(DEFAULT_ENABLED);
		return defaultEnabled == null || Boolean.parseBoolean(defaultEnabled);
	}

	/** A setting as the agent reads it: the system property, else the environment variable. */
	private static @Nullable String setting(String name) {
		String property = System.getProperty(name);
		return (property != null) ? property
				: System.getenv(name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
	}

}
