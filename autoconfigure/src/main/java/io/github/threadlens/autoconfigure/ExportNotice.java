package io.github.threadlens.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * The one start-up line, per context, that says which export path carries ThreadLens's
 * series: logged when the singletons are ready, since whether the OpenTelemetry path exports
 * is known only once its {@code OpenTelemetry} exists. It is a WARN when the series arrive
 * twice (Micrometer's OTLP registry, or OpenTelemetry's Micrometer bridge, and OpenTelemetry
 * all export) or nowhere, an INFO otherwise. Its advice never switches off the only path that
 * exports.
 */
final class ExportNotice implements SmartInitializingSingleton {

	private static final String OTLP_METER_REGISTRY = "io.micrometer.registry.otlp.OtlpMeterRegistry";

	/**
	 * The simple name of OpenTelemetry's Micrometer bridge, a {@link MeterRegistry} that
	 * records into OpenTelemetry's meter provider: the Java agent defines it as a bean when
	 * its Micrometer instrumentation is on (off by default), shaded under a package that
	 * changes with the agent's version, and so does the OpenTelemetry Spring Boot starter.
	 */
	private static final String MICROMETER_BRIDGE = "OpenTelemetryMeterRegistry";

	private static final Log logger = LogFactory.getLog(ExportNotice.class);

	private final ListableBeanFactory beans;

	private final ExportPaths paths;

	ExportNotice(ListableBeanFactory beans, Environment environment) {
		this.beans = beans;
		this.paths = new ExportPaths(beans, environment);
	}

	@Override
	public void afterSingletonsInstantiated() {
		String micrometerOff = this.paths.micrometerOffReason();
		String openTelemetryOff = this.paths.openTelemetryOffReason();
		boolean otlpRegistry = BeanTypes.hasBean(this.beans, OTLP_METER_REGISTRY);
		boolean bridge = !otlpRegistry && hasMicrometerBridge();
		String micrometer = otlpRegistry ? "Micrometer (OTLP registry)"
				: bridge ? "Micrometer (OpenTelemetry's Micrometer bridge)" : "Micrometer";
		if (micrometerOff == null && openTelemetryOff == null) {
			String both = "ThreadLens series go out through " + micrometer + " and through OpenTelemetry";
			if (otlpRegistry || bridge) {
				logger.warn(both + ": the same series arrive twice " + (otlpRegistry ? "over OTLP" : "at the exporter")
						+ ", once per path. Set " + ExportPaths.OTEL_PROPERTY + "=false to keep the Micrometer path "
						+ "only, or " + ExportPaths.MICROMETER_PROPERTY + "=false to keep the OpenTelemetry path only.");
			}
			else {
				logger.info(both + ".");
			}
		}
		else if (micrometerOff == null) {
			logger.info("ThreadLens series go out through " + micrometer + "; the OpenTelemetry path is off: "
					+ openTelemetryOff + ".");
		}
		else if (openTelemetryOff == null) {
			logger.info("ThreadLens series go out through OpenTelemetry; the Micrometer path is off: " + micrometerOff
					+ ".");
		}
		else {
			logger.warn("ThreadLens series go out through no path: the Micrometer path is off: " + micrometerOff
					+ "; the OpenTelemetry path is off: " + openTelemetryOff + ".");
		}
	}

	private boolean hasMicrometerBridge() {
		return this.beans.getBeansOfType(MeterRegistry.class, false, false)
			.values()
			.stream()
			.anyMatch((registry) -> registry.getClass().getSimpleName().equals(MICROMETER_BRIDGE));
	}

}
