package io.github.threadlens.autoconfigure;

import java.util.function.Supplier;

import io.github.threadlens.actuate.PrometheusRulesEndpoint;
import io.github.threadlens.rules.PrometheusNaming;
import io.github.threadlens.rules.ThreadLensRules;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.function.SingletonSupplier;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the Prometheus rules built from
 * {@code threadlens.alerts.*} and the {@code prometheusrules} endpoint that serves them,
 * available when exposed like every Boot endpoint. The properties are bound, and so
 * checked, whether or not the endpoint is exposed. The rules are named after the export
 * path that carries the series ({@link ExportPaths#scrapedNaming()}) unless
 * {@code threadlens.alerts.naming} says otherwise.
 *
 * @author ThreadLens
 */
@AutoConfiguration
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AlertsProperties.class)
public final class ThreadLensRulesAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(PrometheusRulesEndpoint.class)
	ThreadLensRules threadLensRules(AlertsProperties properties) {
		return properties.toRules();
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(PrometheusRulesEndpoint.class)
	PrometheusRulesEndpoint prometheusRulesEndpoint(ThreadLensRules rules, AlertsProperties properties,
			ListableBeanFactory beans, Environment environment) {
		PrometheusNaming configured = properties.prometheusNaming();
		// Asked at the first request, once the OpenTelemetry path knows whether it exports.
		Supplier<PrometheusNaming> naming = (configured != null) ? () -> configured
				: SingletonSupplier.of(() -> new ExportPaths(beans, environment).scrapedNaming());
		return new PrometheusRulesEndpoint(rules, naming, properties.operator().name(),
				properties.operator().namespace(), properties.operator().labels());
	}

}
