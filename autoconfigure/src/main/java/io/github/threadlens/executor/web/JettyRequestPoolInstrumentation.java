package io.github.threadlens.executor.web;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.executor.PoolGauges;
import org.eclipse.jetty.util.BlockingArrayQueue;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPool;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.JettyWebServerFactory;
import org.springframework.boot.jetty.autoconfigure.JettyServerProperties;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Instruments the embedded Jetty's request pool, its {@code QueuedThreadPool}, under a name
 * stable across restarts: {@code jetty-PORT} ({@code jetty} when the port is chosen at
 * start), where Jetty's own default, {@code qtp} and the pool's identity hash, changes at
 * every start.
 * <p>
 * Spring Boot gives the server factory a {@code QueuedThreadPool} built from
 * {@code server.jetty.threads.*}. This customizer, ordered last, gives the factory instead
 * a {@link MonitoredQueuedThreadPool}, a subclass built from the same properties as Boot
 * builds its own, installed through the factory's public {@code setThreadPool} before the
 * server starts: its jobs are timed from hand-off to a worker, its rejections counted, its
 * threads attributed to the pool in the census and named after it, and its gauges
 * published; Boot's {@code jetty.threads.*} meters read it as they would read Boot's pool.
 * A pool that is not the one Boot builds (another class, or other sizes than the
 * properties say) is kept: a {@code QueuedThreadPool} then has its gauges published and
 * nothing else, and any other pool (such as Boot's {@code VirtualThreadPool}) is left alone.
 */
public final class JettyRequestPoolInstrumentation
		implements WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory>, Ordered {

	/** The name Jetty gives a pool left unnamed: {@code qtp} and its identity hash. */
	private static final Pattern DEFAULT_POOL_NAME = Pattern.compile("qtp\\d+");

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final ObjectProvider<JettyServerProperties> properties;

	private final ExecutorNameFilter filter;

	/**
	 * Create the customizer.
	 * @param monitors the monitors, resolved when the server factory is customized
	 * @param properties Boot's {@code server.jetty.*} properties, which Boot builds its pool
	 * from
	 * @param filter which executor names to instrument
	 */
	public JettyRequestPoolInstrumentation(ObjectProvider<ExecutorMonitors> monitors,
			ObjectProvider<JettyServerProperties> properties, ExecutorNameFilter filter) {
		this.monitors = monitors;
		this.properties = properties;
		this.filter = filter;
	}

	@Override
	public void customize(ConfigurableJettyWebServerFactory factory) {
		if (!(factory instanceof JettyWebServerFactory jetty)) {
			return;
		}
		String name = name(jetty.getPort());
		if (!this.filter.matches(name)) {
			return;
		}
		ThreadPool pool = jetty.getThreadPool();
		JettyServerProperties properties = this.properties.getIfAvailable();
		ExecutorMonitors monitors = this.monitors.getObject();
		if (properties != null && isBootsOwn(pool, properties.getThreads())) {
			MonitoredQueuedThreadPool monitored = replace((QueuedThreadPool) pool, properties.getThreads(), name,
					monitors);
			factory.setThreadPool(monitored);
			factory.addServerCustomizers((server) -> server.addEventListener(new LifeCycle.Listener() {

				@Override
				public void lifeCycleStarted(LifeCycle event) {
					monitored.startTiming();
				}

			}));
			monitors.observe(monitored.gauges(), name);
			monitors.bounded(name, monitored::getMaxThreads);
		}
		else if (pool instanceof QueuedThreadPool queued) {
			monitors.observe(gauges(queued), name);
			monitors.bounded(name, queued::getMaxThreads);
		}
	}

	private static String name(int port) {
		return (port > 0) ? "jetty-" + port : "jetty";
	}

	/**
	 * Whether the factory's pool is the one Boot builds from {@code server.jetty.threads.*}:
	 * a {@code QueuedThreadPool} itself, not started, of the sizes the properties give.
	 */
	private static boolean isBootsOwn(@Nullable ThreadPool pool, JettyServerProperties.Threads threads) {
		return pool != null && pool.getClass() == QueuedThreadPool.class && ((QueuedThreadPool) pool).isStopped()
				&& ((QueuedThreadPool) pool).getMaxThreads() == maxThreads(threads)
				&& ((QueuedThreadPool) pool).getMinThreads() == minThreads(threads)
				&& ((QueuedThreadPool) pool).getIdleTimeout() == idleTimeout(threads);
	}

	private static MonitoredQueuedThreadPool replace(QueuedThreadPool boots, JettyServerProperties.Threads threads,
			String name, ExecutorMonitors monitors) {
		MonitoredQueuedThreadPool pool = new MonitoredQueuedThreadPool(maxThreads(threads), minThreads(threads),
				idleTimeout(threads), queue(threads.getMaxQueueCapacity()), name, monitors);
		// Whatever else was set on Boot's pool before this customizer ran.
		pool.setName(DEFAULT_POOL_NAME.matcher(boots.getName()).matches() ? name : boots.getName());
		pool.setReservedThreads(boots.getReservedThreads());
		pool.setDaemon(boots.isDaemon());
		pool.setThreadsPriority(boots.getThreadsPriority());
		pool.setStopTimeout(boots.getStopTimeout());
		pool.setLowThreadsThreshold(boots.getLowThreadsThreshold());
		pool.setMaxEvictCount(boots.getMaxEvictCount());
		pool.setDetailedDump(boots.isDetailedDump());
		pool.setVirtualThreadsExecutor(boots.getVirtualThreadsExecutor());
		return pool;
	}

	// As Boot's JettyThreadPool reads server.jetty.threads.*.

	private static int maxThreads(JettyServerProperties.Threads threads) {
		return (threads.getMax() > 0) ? threads.getMax() : 200;
	}

	private static int minThreads(JettyServerProperties.Threads threads) {
		return (threads.getMin() > 0) ? threads.getMin() : 8;
	}

	private static int idleTimeout(JettyServerProperties.Threads threads) {
		Duration timeout = threads.getIdleTimeout();
		return (timeout != null) ? (int) timeout.toMillis() : 60_000;
	}

	private static @Nullable BlockingQueue<Runnable> queue(@Nullable Integer capacity) {
		if (capacity == null) {
			return null;
		}
		return (capacity == 0) ? new SynchronousQueue<>() : new BlockingArrayQueue<>(capacity);
	}

	/** The gauges of a pool that is not ThreadLens's, read through its public API. */
	private static PoolGauges gauges(QueuedThreadPool pool) {
		AtomicBoolean stopped = new AtomicBoolean();
		pool.addEventListener(new LifeCycle.Listener() {

			@Override
			public void lifeCycleStopped(LifeCycle event) {
				stopped.set(true);
			}

		});
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_ACTIVE, pool::getBusyThreads,
				ThreadLensMeters.EXECUTOR_QUEUED, pool::getQueueSize, ThreadLensMeters.EXECUTOR_POOL_SIZE,
				pool::getThreads, ThreadLensMeters.EXECUTOR_POOL_CORE, pool::getMinThreads,
				ThreadLensMeters.EXECUTOR_POOL_MAX, pool::getMaxThreads), stopped::get);
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
