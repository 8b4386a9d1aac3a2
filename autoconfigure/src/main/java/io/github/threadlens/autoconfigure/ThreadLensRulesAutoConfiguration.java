package io.github.threadlens.autoconfigure;

import io.github.threadlens.actuate.PrometheusRulesEndpoint;
import io.github.threadlens.rules.ThreadLensRules;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the Prometheus rules built from
 * {@code threadlens.alerts.*} and the {@code prometheusrules} endpoint that serves them,
 * available when exposed like every Boot endpoint. The properties are bound, and so
 * checked, whether or not the endpoint is exposed.
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
	PrometheusRulesEndpoint prometheusRulesEndpoint(ThreadLensRules rules, AlertsProperties properties) {
		return new PrometheusRulesEndpoint(rules.groups(), properties.operator().name(),
				properties.operator().namespace(), properties.operator().labels());
	}

}
