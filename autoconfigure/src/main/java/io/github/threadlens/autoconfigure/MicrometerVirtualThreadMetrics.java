package io.github.threadlens.autoconfigure;

import org.springframework.util.ClassUtils;

/**
 * Whether Boot binds Micrometer's {@code VirtualThreadMetrics} (micrometer-java21, which the
 * starter brings, usable on JDK 21+): it publishes the virtual-thread scheduler gauges and the
 * pinning timer under the catalog's names, so on a {@code MeterRegistry} ThreadLens leaves
 * those to it.
 */
final class MicrometerVirtualThreadMetrics {

	private static final String BINDER = "io.micrometer.java21.instrument.binder.jdk.VirtualThreadMetrics";

	private MicrometerVirtualThreadMetrics() {
	}

	static boolean isBound() {
		return ClassUtils.isPresent(BINDER, MicrometerVirtualThreadMetrics.class.getClassLoader());
	}

}
