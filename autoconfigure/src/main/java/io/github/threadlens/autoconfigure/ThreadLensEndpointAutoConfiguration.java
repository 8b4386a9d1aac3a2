package io.github.threadlens.autoconfigure;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

import io.github.threadlens.actuate.ThreadLensEndpoint;
import io.github.threadlens.blocking.JdkThreadDump;
import io.github.threadlens.blocking.ThreadGrouping;
import io.github.threadlens.blocking.VirtualThreadDump;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.executor.ExecutorMonitors;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@code threadlens} actuator
 * endpoint, the grouped thread dump. Available when exposed, like every Boot endpoint.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = { ThreadLensCensusAutoConfiguration.class, ThreadLensExecutorAutoConfiguration.class })
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(PoolNamer.class)
@ConditionalOnAvailableEndpoint(ThreadLensEndpoint.class)
public final class ThreadLensEndpointAutoConfiguration {

	/** What reads the JDK's JSON thread dump, an optional dependency. */
	static final String JSON_PARSER = "tools.jackson.core.json.JsonFactory";

	@Bean
	@ConditionalOnMissingBean
	ThreadLensEndpoint threadLensEndpoint(PoolNamer namer, ObjectProvider<ExecutorMonitors> executors) {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		return new ThreadLensEndpoint(new ThreadGrouping(threads, new ThreadRoster(namer)),
				virtualThreads(threads, namer, executors));
	}

	private static @Nullable VirtualThreadDump virtualThreads(ThreadMXBean threads, PoolNamer namer,
			ObjectProvider<ExecutorMonitors> executors) {
		JdkThreadDump dump = JdkThreadDump.ofThisJvm();
		ClassLoader classLoader = ThreadLensEndpointAutoConfiguration.class.getClassLoader();
		if (dump == null || !ClassUtils.isPresent(JSON_PARSER, classLoader)) {
			return null;
		}
		return new VirtualThreadDump(dump, threads, namer, () -> {
			ExecutorMonitors monitors = executors.getIfAvailable();
			return (monitors != null) ? monitors.namesByThreadContainer() : Map.of();
		});
	}

}
