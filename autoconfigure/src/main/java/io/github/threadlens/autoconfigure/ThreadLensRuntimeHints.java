package io.github.threadlens.autoconfigure;

import java.util.List;
import java.util.concurrent.ExecutorService;

import io.github.threadlens.blocking.JdkThreadDump;
import io.github.threadlens.executor.VirtualThreadScheduler;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * The {@link RuntimeHints} of what ThreadLens reaches by name or by reflection at run time,
 * for a native image. Each type is named, not loaded, so that a hint for a class this runtime
 * lacks costs nothing. The proxies around {@code ExecutorService} beans depend on the
 * application's beans and are hinted by {@code ExecutorServiceProxyAotProcessor}. Nothing
 * non-public is hinted: ThreadLens uses public extension points only.
 *
 * @author ThreadLens
 */
public final class ThreadLensRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Looked up by name, so that the Micrometer sink knows which other binders are beans; named
	 * as strings since the metrics module is optional and this class must load without it.
	 */
	static final List<String> CLASSES_FOUND_BY_NAME = List.of("io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics",
			ThreadLensMicrometerAutoConfiguration.VIRTUAL_THREAD_METRICS,
			"org.springframework.boot.micrometer.metrics.autoconfigure.task.TaskExecutorMetricsAutoConfiguration");

	/** Its {@code isSet()}, which older APIs lack, is found at run time. */
	static final TypeReference GLOBAL_OPEN_TELEMETRY = TypeReference.of("io.opentelemetry.api.GlobalOpenTelemetry");

	/** Written by the build beside {@code InstrumentationScope}, read at run time. */
	static final String INSTRUMENTATION_SCOPE_RESOURCE = "io/github/threadlens/export/otel/instrumentation-scope.properties";

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		// JDK 24+: found by name and read through method handles.
		hints.reflection()
			.registerType(TypeReference.of(VirtualThreadScheduler.MXBEAN_INTERFACE), MemberCategory.INVOKE_PUBLIC_METHODS);
		CLASSES_FOUND_BY_NAME.forEach((name) -> hints.reflection().registerType(TypeReference.of(name)));
		hints.reflection()
			.registerType(GLOBAL_OPEN_TELEMETRY,
					(type) -> type.withMethod(ThreadLensOpenTelemetryAutoConfiguration.GlobalOpenTelemetrySetCondition.IS_SET,
							List.of(), ExecutableMode.INVOKE));
		// JDK 21+: the endpoint's virtual threads, from the JDK's thread dump found by name and
		// read with jackson-core where it is present.
		hints.reflection()
			.registerType(TypeReference.of(JdkThreadDump.MXBEAN_INTERFACE), MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerType(TypeReference.of(JdkThreadDump.FORMAT), MemberCategory.INVOKE_PUBLIC_METHODS)
			.registerType(TypeReference.of(ThreadLensEndpointAutoConfiguration.JSON_PARSER));
		// JDK 21+: ExecutorMonitor asks a thread-per-task executor's threads whether they are virtual.
		hints.reflection()
			.registerType(Thread.class, (type) -> type.withMethod("isVirtual", List.of(), ExecutableMode.INVOKE));
		// InstrumentationScope reads ThreadLens's version from it.
		hints.resources().registerPattern(INSTRUMENTATION_SCOPE_RESOURCE);
		// SubmissionInterceptor maps each proxied method to the ExecutorService method it implements.
		hints.reflection().registerType(ExecutorService.class, MemberCategory.INVOKE_PUBLIC_METHODS);
	}

}
