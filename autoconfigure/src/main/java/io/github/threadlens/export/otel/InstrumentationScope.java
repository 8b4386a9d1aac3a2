package io.github.threadlens.export.otel;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import org.jspecify.annotations.Nullable;

/**
 * ThreadLens's instrumentation scope: the name {@value ThreadLensViews#INSTRUMENTATION_SCOPE}
 * and the version of this artifact, which the build writes into a resource beside this class
 * (a resource rather than the jar's manifest, so that it is there when ThreadLens runs from
 * its classes too).
 */
public final class InstrumentationScope {

	private static final String RESOURCE = "instrumentation-scope.properties";

	private static final @Nullable String VERSION = readVersion();

	private InstrumentationScope() {
	}

	/**
	 * The version of the scope.
	 * @return the ThreadLens version, or {@code null} where the resource is missing or was
	 * not filtered (classes compiled outside the build)
	 */
	public static @Nullable String version() {
		return VERSION;
	}

	/**
	 * The meter of ThreadLens's scope from a meter provider.
	 * @param provider the meter provider
	 * @return the meter
	 */
	public static Meter meter(MeterProvider provider) {
		MeterBuilder builder = provider.meterBuilder(ThreadLensViews.INSTRUMENTATION_SCOPE);
		return (VERSION != null) ? builder.setInstrumentationVersion(VERSION).build() : builder.build();
	}

	/**
	 * Whether a meter records nothing. An SDK meter provider without a metric reader hands out
	 * the API's no-op meter, as does the API's no-op provider, so comparing with the no-op
	 * meter's class tells both apart from a meter that exports, without depending on how the
	 * provider is wrapped (the SDK's own {@code OpenTelemetrySdk}, the Java agent's bridge).
	 * @param meter the meter
	 * @return whether it is the no-op meter
	 */
	public static boolean isNoop(Meter meter) {
		return meter.getClass() == MeterProvider.noop().get(ThreadLensViews.INSTRUMENTATION_SCOPE).getClass();
	}

	private static @Nullable String readVersion() {
		try (InputStream in = InstrumentationScope.class.getResourceAsStream(RESOURCE)) {
			if (in == null) {
				return null;
			}
			Properties properties = new Properties();
			properties.load(in);
			String version = properties.getProperty("version");
			return (version != null && !version.isEmpty() && !version.startsWith("${")) ? version : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
