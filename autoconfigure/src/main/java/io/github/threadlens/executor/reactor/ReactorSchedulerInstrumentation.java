package io.github.threadlens.executor.reactor;

import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;

import io.github.threadlens.executor.ExecutorMonitors;
import io.github.threadlens.executor.ExecutorNameFilter;
import io.github.threadlens.shared.SharedRegistrations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Scannable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor's schedulers ({@code parallel}, {@code single}, {@code boundedElastic}, those an
 * application creates with {@code Schedulers.new*} or {@code fromExecutorService}) as
 * executors: each task's queue wait and run time, the rejections, and the gauges of their
 * pools, under the scheduler's name.
 * <p>
 * It goes through Reactor's public executor-service decorators rather than its
 * {@code onScheduleHook}: a decorator sees every submission to the scheduler's pools, so a
 * task is timed from when it is submitted or due, and it is handed the pools themselves,
 * whose sizes and queues it can read; a schedule hook wraps the task only, which gives its
 * run time but not how long it waited. A scheduler has one pool per thread
 * ({@code parallel}) or per worker ({@code boundedElastic}), all of them one executor here,
 * so that the series are as many as the schedulers.
 * <p>
 * Reactor applies decorators JVM-wide, to the pools of the schedulers created after they are
 * registered: a scheduler created before {@link #start()}, such as a
 * {@code Schedulers.parallel()} first used while the application context was refreshed, is
 * not timed (its threads still count in the census) until it is created again, for instance
 * after {@code Schedulers.resetFactory()}, which only the application can decide to call.
 * Several application contexts share the one decorator ({@link SharedRegistrations}): the
 * first to start registers it with its monitors, the next one registers it again with its own
 * when that one closes, and the last to close removes it.
 * Pools decorated while a context served keep recording into that context's timers.
 */
public final class ReactorSchedulerInstrumentation implements AutoCloseable {

	/** The key of ThreadLens's decorator among Reactor's executor-service decorators. */
	public static final String DECORATOR_KEY = "threadlens";

	private static final Log logger = LogFactory.getLog(ReactorSchedulerInstrumentation.class);

	private final ExecutorMonitors monitors;

	private final ExecutorNameFilter filter;

	// Guarded by this: the lease while started.
	private SharedRegistrations.@Nullable Lease lease;

	/**
	 * Create the instrumentation, not started yet.
	 * @param monitors the monitors the schedulers' pools are timed by
	 * @param filter which scheduler names to instrument
	 */
	public ReactorSchedulerInstrumentation(ExecutorMonitors monitors, ExecutorNameFilter filter) {
		this.monitors = monitors;
		this.filter = filter;
	}

	/**
	 * Instrument the schedulers created from now on, registering the decorator if no other
	 * application context has.
	 */
	public synchronized void start() {
		if (this.lease == null) {
			this.lease = SharedRegistrations.acquire(Schedulers.class, DECORATOR_KEY, this::register);
		}
	}

	/**
	 * Stop instrumenting new schedulers from this context: the next context takes over, or
	 * the decorator is removed if this was the last.
	 */
	@Override
	public synchronized void close() {
		if (this.lease != null) {
			this.lease.close();
			this.lease = null;
		}
	}

	private Runnable register() {
		if (!Schedulers.addExecutorServiceDecorator(DECORATOR_KEY, this::instrument)) {
			logger.warn("Reactor already has an executor-service decorator named '" + DECORATOR_KEY
					+ "', which ThreadLens did not register: Reactor's schedulers are not timed");
			return () -> {
			};
		}
		return () -> Schedulers.removeExecutorServiceDecorator(DECORATOR_KEY);
	}

	private ScheduledExecutorService instrument(Scheduler scheduler, ScheduledExecutorService executor) {
		String name = name(scheduler);
		if (!this.filter.matches(name)) {
			return executor;
		}
		Integer capacity = Scannable.from(scheduler).scan(Scannable.Attr.CAPACITY);
		OptionalInt maxThreads = (capacity != null && capacity > 0) ? OptionalInt.of(capacity) : OptionalInt.empty();
		return this.monitors.monitorPart(executor, name, maxThreads);
	}

	/**
	 * The executor name of a scheduler: the name its threads are given, as Reactor's
	 * description of it ({@code Scannable.Attr.NAME}) quotes it, such as {@code parallel}
	 * for {@code parallel(4,"parallel")} or {@code images} for
	 * {@code boundedElastic("images",maxThreads=40,...)}; for
	 * {@code fromExecutorService(name)} the name given, an anonymous executor's identity
	 * hash left out so that each one does not make series of its own.
	 * @param scheduler the scheduler
	 * @return its executor name
	 */
	public static String name(Scheduler scheduler) {
		if (!(scheduler instanceof Scannable scannable)) {
			return className(scheduler);
		}
		String description = scannable.name();
		int quote = description.indexOf('"');
		int endQuote = description.indexOf('"', quote + 1);
		if (quote >= 0 && endQuote > quote + 1) {
			return description.substring(quote + 1, endQuote);
		}
		int open = description.indexOf('(');
		int close = description.lastIndexOf(')');
		String name = (open >= 0 && close > open) ? description.substring(open + 1, close) : description;
		int hash = name.indexOf('@');
		if (hash >= 0) {
			name = name.substring(0, hash);
		}
		return name.isBlank() ? className(scheduler) : name;
	}

	private static String className(Scheduler scheduler) {
		String name = scheduler.getClass().getSimpleName();
		return name.isEmpty() ? "reactor" : name;
	}

}
