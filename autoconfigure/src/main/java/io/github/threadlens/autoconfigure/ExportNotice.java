package io.github.threadlens.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;

/**
 * The one start-up line, per context, that says which export path carries ThreadLens's
 * series: logged when the singletons are ready, since whether the OpenTelemetry path exports
 * is known only once its {@code OpenTelemetry} exists. It is a WARN when the series arrive
 * twice (Micrometer's OTLP registry and OpenTelemetry both export) or nowhere, an INFO
 * otherwise. Its advice never switches off the only path that exports.
 */
final class ExportNotice implements SmartInitializingSingleton {

	private static final String OTLP_METER_REGISTRY = "io.micrometer.registry.otlp.OtlpMeterRegistry";

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
		String micrometer = otlpRegistry ? "Micrometer (OTLP registry)" : "Micrometer";
		if (micrometerOff == null && openTelemetryOff == null) {
			String both = "ThreadLens series go out through " + micrometer + " and through OpenTelemetry";
			if (otlpRegistry) {
				logger.warn(both + ": the same series arrive twice over OTLP, once per path. Set "
						+ ExportPaths.OTEL_PROPERTY + "=false to keep the Micrometer path only, or "
						+ ExportPaths.MICROMETER_PROPERTY
						+ "=false to keep the OpenTelemetry path only.");
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

}
