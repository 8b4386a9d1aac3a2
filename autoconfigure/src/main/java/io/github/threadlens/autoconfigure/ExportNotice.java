package io.github.threadlens.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * A start-up message about the export paths, logged once per context when its singletons
 * are ready: that a path is off for want of a backend, or that two paths ship the same
 * series.
 */
final class ExportNotice implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ExportNotice.class);

	private final boolean warning;

	private final String message;

	private ExportNotice(boolean warning, String message) {
		this.warning = warning;
		this.message = message;
	}

	static ExportNotice info(String message) {
		return new ExportNotice(false, message);
	}

	static ExportNotice warning(String message) {
		return new ExportNotice(true, message);
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.warning) {
			logger.warn(this.message);
		}
		else {
			logger.info(this.message);
		}
	}

}
