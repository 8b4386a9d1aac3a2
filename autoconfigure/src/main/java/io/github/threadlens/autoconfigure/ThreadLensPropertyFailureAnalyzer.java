package io.github.threadlens.autoconfigure;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a {@code threadlens.*} property that a properties record refused while binding,
 * with the exact property ({@code threadlens.pools.rules[0].pattern}, not the enclosing
 * object), the value, the reason and the fix. Boot's own analyzer for
 * {@link InvalidConfigurationPropertyValueException} is ordered after its generic binding
 * analyzer, which would report the exception's class name under the enclosing object, so
 * this one goes first and leaves every other property to Boot.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class ThreadLensPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationPropertyValueException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationPropertyValueException cause) {
		if (!cause.getName().startsWith("threadlens.")) {
			return null;
		}
		return new FailureAnalysis(
				"Invalid value '" + cause.getValue() + "' for property '" + cause.getName() + "': " + cause.getReason(),
				"Update '" + cause.getName() + "' in your application's configuration.", cause);
	}

}
