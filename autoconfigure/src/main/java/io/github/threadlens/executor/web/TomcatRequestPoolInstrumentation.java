package io.github.threadlens.executor.web;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

import javax.management.ObjectName;

import io.github.threadlens.executor.ExecutorMonitor;
import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.executor.PoolGauges;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
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
 * ({@code http-nio-8080-exec}): each request's wait for a worker and its processing time,
 * rejections, the pool's gauges, and its threads attributed in the census.
 * <p>
 * Tomcat offers no hook into the pool it creates, so ThreadLens gives the connector the same
 * pool, built from the connector's settings after Boot applied {@code server.tomcat.threads.*},
 * and shuts it down when the context closes, since Tomcat only
 * stops pools it created. With {@code spring.threads.virtual.enabled=true}, Boot's
 * virtual-thread executor is kept and its requests timed, their count in flight published as
 * {@code jvm.threads.virtual.active}. A connector given any other executor is left alone.
 */
public final class TomcatRequestPoolInstrumentation
		implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered, DisposableBean {

	/** Tomcat's own default for {@code threadsMaxIdleTime}. */
	private static final long DEFAULT_MAX_IDLE_MILLIS = 60_000;

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final ExecutorNameFilter filter;

	private final List<ThreadPoolExecutor> created = new CopyOnWriteArrayList<>();

	/**
	 * Create the customizer.
	 * @param monitors the monitors, resolved when the connector is created
	 * @param filter which executor names to instrument
	 */
	public TomcatRequestPoolInstrumentation(ObjectProvider<ExecutorMonitors> monitors, ExecutorNameFilter filter) {
		this.monitors = monitors;
		this.filter = filter;
	}

	@Override
	public void customize(ConfigurableTomcatWebServerFactory factory) {
		// Boot applies server.tomcat.threads.* in connector customizers, which run after
		// protocol handler customizers: this one, added last, sees the final settings.
		factory.addConnectorCustomizers((connector) -> instrument(connector.getProtocolHandler()));
	}

	private void instrument(ProtocolHandler handler) {
		if (!(handler instanceof AbstractProtocol<?> protocol)) {
			return;
		}
		// The protocol's name is quoted for JMX; its threads carry it unquoted.
		String name = ObjectName.unquote(protocol.getName()) + "-exec";
		if (!this.filter.matches(name)) {
			return;
		}
		Executor existing = protocol.getExecutor();
		ExecutorMonitors monitors = this.monitors.getObject();
		if (existing == null) {
			protocol.setExecutor(pool(protocol, name, monitors, monitors.monitor(name)));
		}
		else if (existing instanceof VirtualThreadExecutor) {
			ExecutorMonitor monitor = monitors.monitorThreadPerTask(name, true);
			protocol.setExecutor((task) -> existing.execute(monitor.wrap(task)));
		}
	}

	private ThreadPoolExecutor pool(AbstractProtocol<?> protocol, String name, ExecutorMonitors monitors,
			ExecutorMonitor monitor) {
		TaskThreadFactory threads = new TaskThreadFactory(name + "-", !"false".equals(protocol.getProperty("daemon")),
				protocol.getThreadPriority());
		ThreadPoolExecutor pool = new MonitoredTomcatExecutor(protocol.getMinSpareThreads(), protocol.getMaxThreads(),
				maxIdleMillis(protocol),
				new TaskQueue(protocol.getMaxQueueSize()), monitors.attributing(name, threads), monitor);
		monitors.observe(PoolGauges.threadPool(pool::getCompletedTaskCount, pool::getActiveCount, pool.getQueue(),
				pool::getPoolSize, pool::getCorePoolSize, pool::getMaximumPoolSize, pool::isTerminated), name);
		this.created.add(pool);
		return pool;
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
