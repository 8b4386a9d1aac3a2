package io.github.threadlens.executor.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import javax.management.ObjectName;

import io.github.threadlens.executor.ExecutorMonitor;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.executor.PoolGauges;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.tomcat.util.threads.TaskQueue;
import org.apache.tomcat.util.threads.TaskThreadFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;

/**
 * Instruments the embedded Tomcat's request pool, named as its threads are
 * ({@code http-nio-8080-exec}): its gauges, its rejections, and its threads attributed in
 * the census.
 * <p>
 * By default Tomcat keeps the pool it creates as each connector starts, so that its own
 * settings and Boot's {@code tomcat.threads.*} meters read as they do without ThreadLens;
 * once the connector has started, the pool's rejection policy is composed with a counter
 * and its thread factory attributes new threads. Tomcat offers no hook into that pool's
 * tasks, so its requests are not timed. With {@code threadlens.executors.tomcat.timed=true}
 * the connector is given a pool built as Tomcat builds its own, whose every request is
 * timed from hand-off to a worker; Tomcat then reports the pool as external
 * ({@code maxThreads} -1 in JMX and in Boot's {@code tomcat.threads.config.max}), and this
 * shuts it down when the context closes, since Tomcat only stops pools it created. With
 * {@code spring.threads.virtual.enabled=true}, Boot's virtual-thread executor is kept and its
 * requests timed, their count in flight published as {@code jvm.threads.virtual.active}.
 * A connector given any other executor is left alone.
 */
public final class TomcatRequestPoolInstrumentation
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered, DisposableBean {

	/** Tomcat's own default for {@code threadsMaxIdleTime}. */
	private static final long DEFAULT_MAX_IDLE_MILLIS = 60_000;

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final ExecutorNameFilter filter;

	private final boolean timed;

	private final List<ThreadPoolExecutor> created = new CopyOnWriteArrayList<>();

	/**
	 * Create the customizer.
	 * @param monitors the monitors, resolved when the connector is created
	 * @param filter which executor names to instrument
	 * @param timed whether to replace Tomcat's pool with one whose requests are timed
	 */
	public TomcatRequestPoolInstrumentation(ObjectProvider<ExecutorMonitors> monitors, ExecutorNameFilter filter,
			boolean timed) {
		this.monitors = monitors;
		this.filter = filter;
		this.timed = timed;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		// Boot applies server.tomcat.threads.* in connector customizers, which run after
		// protocol handler customizers: this one, added last, sees the final settings.
		factory.addConnectorCustomizers(this::instrument);
	}

	private void instrument(Connector connector) {
		if (!(connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol)) {
			return;
		}
		// The protocol's name is quoted for JMX; its threads carry it unquoted.
		String name = ObjectName.unquote(protocol.getName()) + "-exec";
		if (!this.filter.matches(name)) {
			return;
		}
		Executor existing = protocol.getExecutor();
		ExecutorMonitors monitors = this.monitors.getObject();
		if (existing instanceof VirtualThreadExecutor) {
			ExecutorMonitor monitor = monitors.monitorThreadPerTask(name, true);
			protocol.setExecutor((task) -> existing.execute(monitor.wrap(task)));
		}
		else if (existing == null && this.timed) {
			protocol.setExecutor(pool(protocol, name, monitors));
		}
		else if (existing == null) {
			// Tomcat creates its pool as the connector starts, and again after a restart.
			connector.addLifecycleListener((event) -> {
				if (Lifecycle.AFTER_START_EVENT.equals(event.getType())
						&& protocol.getExecutor() instanceof ThreadPoolExecutor pool) {
					observe(pool, name, monitors);
				}
			});
		}
	}

	private void observe(ThreadPoolExecutor pool, String name, ExecutorMonitors monitors) {
		pool.setRejectedExecutionHandler(
				new CountingTomcatRejectionHandler(pool.getRejectedExecutionHandler(), monitors.untimed(name)));
		pool.setThreadFactory(monitors.attributing(name, pool.getThreadFactory()));
		publishGauges(pool, name, monitors);
	}

	private ThreadPoolExecutor pool(AbstractProtocol<?> protocol, String name, ExecutorMonitors monitors) {
		TaskThreadFactory threads = new TaskThreadFactory(name + "-", !"false".equals(protocol.getProperty("daemon")),
				protocol.getThreadPriority());
		ThreadPoolExecutor pool = new MonitoredTomcatExecutor(protocol.getMinSpareThreads(), protocol.getMaxThreads(),
				maxIdleMillis(protocol), new TaskQueue(protocol.getMaxQueueSize()), monitors.attributing(name, threads),
				monitors.monitor(name));
		publishGauges(pool, name, monitors);
		this.created.add(pool);
		return pool;
	}

	private static void publishGauges(ThreadPoolExecutor pool, String name, ExecutorMonitors monitors) {
		monitors.observe(PoolGauges.threadPool(pool::getCompletedTaskCount, pool::getActiveCount, pool.getQueue(),
				pool::getPoolSize, pool::getCorePoolSize, pool::getMaximumPoolSize, pool::isTerminated), name);
	}

	private static long maxIdleMillis(AbstractProtocol<?> protocol) {
		try {
			return Long.parseLong(protocol.getProperty("threadsMaxIdleTime"));
		}
		catch (NumberFormatException ex) {
			return DEFAULT_MAX_IDLE_MILLIS;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void destroy() {
		this.created.forEach(ThreadPoolExecutor::shutdownNow);
	}

}
