package io.github.threadlens.executor.web;

import java.util.Map;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.executor.PoolGauges;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.DisposableServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Publishes the event loops of Boot's Reactor Netty server as an executor, named as their
 * threads' pool in the census ({@code reactor-http-nio}, {@code reactor-http-epoll}): the
 * tasks waiting in their queues ({@code executor.queued}, Netty's {@code pendingTasks()}
 * summed over the loops) and their number ({@code executor.pool.size}, {@code .core} and
 * {@code .max}: a group's loops are fixed).
 * <p>
 * The group is the one the server's channel is bound on, which Reactor Netty's loop
 * resources also serve connections and, colocated, its clients from; it is found once the
 * server is bound, through a {@code NettyServerCustomizer}, whatever loop resources Boot or
 * the application chose. Netty has no public way to wrap the tasks of a group it created,
 * so their queue wait and run time are not measured; a loop held by user code shows in
 * {@code jvm.threads.blocking}, where a loop waiting for events is {@code idle}.
 */
public final class ReactorNettyEventLoopInstrumentation
		implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory> {

	private static final Log logger = LogFactory.getLog(ReactorNettyEventLoopInstrumentation.class);

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final ObjectProvider<PoolNamer> namer;

	private final ExecutorNameFilter filter;

	/**
	 * Create the customizer.
	 * @param monitors the monitors, resolved when the server is bound
	 * @param namer the census's pool naming, which names the executor as its threads' pool
	 * @param filter which executor names to publish
	 */
	public ReactorNettyEventLoopInstrumentation(ObjectProvider<ExecutorMonitors> monitors,
			ObjectProvider<PoolNamer> namer, ExecutorNameFilter filter) {
		this.monitors = monitors;
		this.namer = namer;
		this.filter = filter;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers((server) -> server.doOnBound(this::bound));
	}

	private void bound(DisposableServer server) {
		try {
			publish(server);
		}
		catch (RuntimeException ex) {
			// Reactor Netty would fail the bind, and with it the application's start.
			logger.warn("ThreadLens could not publish the event loops of the Reactor Netty server", ex);
		}
	}

	private void publish(DisposableServer server) {
		EventLoop loop = server.channel().eventLoop();
		EventLoopGroup group = loop.parent();
		PoolNamer namer = this.namer.getIfAvailable();
		ExecutorMonitors monitors = this.monitors.getIfAvailable();
		if (group == null || namer == null || monitors == null || !(loop instanceof SingleThreadEventExecutor bound)) {
			return;
		}
		// The loop the channel is bound on has started: reading its thread starts nothing.
		String name = namer.poolOfName(bound.threadProperties().name());
		if (!this.filter.matches(name)) {
			return;
		}
		int loops = count(group);
		monitors.observe(gauges(group, loops), name);
		monitors.bounded(name, () -> loops);
	}

	private static PoolGauges gauges(EventLoopGroup group, int loops) {
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_QUEUED, () -> pendingTasks(group),
				ThreadLensMeters.EXECUTOR_POOL_SIZE, () -> loops, ThreadLensMeters.EXECUTOR_POOL_CORE, () -> loops,
				ThreadLensMeters.EXECUTOR_POOL_MAX, () -> loops), group::isTerminated);
	}

	private static double pendingTasks(EventLoopGroup group) {
		long pending = 0;
		for (EventExecutor loop : group) {
			if (loop instanceof SingleThreadEventExecutor queued) {
				pending += queued.pendingTasks();
			}
		}
		return pending;
	}

	private static int count(EventLoopGroup group) {
		int loops = 0;
		for (EventExecutor ignored : group) {
			loops++;
		}
		return loops;
	}

}
