package io.github.threadlens.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns an {@link InvalidThreadLensPropertyException} into a start-up failure report that
 * names the property and the fix. Ordered first because Boot's generic binding analyzer
 * would otherwise report only the enclosing properties object.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class InvalidThreadLensPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidThreadLensPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidThreadLensPropertyException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Update '" + cause.getProperty() + "' in your application's configuration: " + cause.getAction(),
				cause);
	}

}
