package io.github.threadlens.autoconfigure;

import java.lang.management.ManagementFactory;

import io.github.threadlens.actuate.ThreadLensEndpoint;
import io.github.threadlens.blocking.ThreadGrouping;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadRoster;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the {@code threadlens} actuator
 * endpoint, the grouped thread dump. Available when exposed, like every Boot endpoint.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = ThreadLensCensusAutoConfiguration.class)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnBean(PoolNamer.class)
@ConditionalOnAvailableEndpoint(ThreadLensEndpoint.class)
public final class ThreadLensEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ThreadLensEndpoint threadLensEndpoint(PoolNamer namer) {
		return new ThreadLensEndpoint(new ThreadGrouping(ManagementFactory.getThreadMXBean(), new ThreadRoster(namer)));
	}

}
