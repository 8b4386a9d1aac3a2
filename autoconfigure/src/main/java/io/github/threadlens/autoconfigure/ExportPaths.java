package io.github.threadlens.autoconfigure;

import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.rules.PrometheusNaming;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Which export paths carry ThreadLens's series in a context, and why one does not: what the
 * start-up line reports ({@link ExportNotice}) and what the served rules are named after.
 * Whether the OpenTelemetry path exports is known only once its {@code OpenTelemetry}
 * exists, so ask once the singletons are ready.
 */
final class ExportPaths {

	static final String MICROMETER_PROPERTY = "threadlens.export.micrometer.enabled";

	static final String OTEL_PROPERTY = "threadlens.export.otel.enabled";

	private static final String OPEN_TELEMETRY = "io.opentelemetry.api.OpenTelemetry";

	private final ListableBeanFactory beans;

	private final Environment environment;

	ExportPaths(ListableBeanFactory beans, Environment environment) {
		this.beans = beans;
		this.environment = environment;
	}

	/**
	 * Why the Micrometer path carries nothing.
	 * @return the reason, or {@code null} when it exports
	 */
	@Nullable String micrometerOffReason() {
		if (!enabled(MICROMETER_PROPERTY)) {
			return MICROMETER_PROPERTY + "=false";
		}
		return BeanTypes.hasBean(this.beans, ObservedMeterBinder.class.getName()) ? null : "there is no MeterRegistry";
	}

	/**
	 * Why the OpenTelemetry path carries nothing.
	 * @return the reason, or {@code null} when it exports
	 */
	@Nullable String openTelemetryOffReason() {
		if (!enabled(OTEL_PROPERTY)) {
			return OTEL_PROPERTY + "=false";
		}
		if (!ClassUtils.isPresent(OPEN_TELEMETRY, getClass().getClassLoader())) {
			return "opentelemetry-api is not on the class path";
		}
		ExportPath path = this.beans.getBeanProvider(ExportPath.class).getIfAvailable();
		return (path != null) ? path.offReason()
				: "there is no OpenTelemetry bean and no global OpenTelemetry from the Java agent";
	}

	/**
	 * The names Prometheus finds ThreadLens's series under: Micrometer's where that path
	 * exports, since {@code /actuator/prometheus} is what a Spring Boot application is
	 * usually scraped at; OpenTelemetry's where only that path does; Micrometer's where
	 * neither does, as there is nothing to follow.
	 * @return the naming
	 */
	PrometheusNaming scrapedNaming() {
		return (micrometerOffReason() != null && openTelemetryOffReason() == null) ? PrometheusNaming.OPENTELEMETRY
				: PrometheusNaming.MICROMETER;
	}

	private boolean enabled(String property) {
		return this.environment.getProperty(property, Boolean.class, true);
	}

}
