package io.github.threadlens.executor;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The pool gauges one executor can answer, with Micrometer's names and meanings for each
 * kind of pool, so that a dashboard built on {@code ExecutorServiceMetrics} reads them alike.
 *
 * @param values what each catalog gauge or counter reads from the pool
 * @param terminated whether the pool has terminated, after which it publishes nothing
 */
public record PoolGauges(Map<MeterDefinition, DoubleSupplier> values, BooleanSupplier terminated) {

	public PoolGauges {
		values = Map.copyOf(values);
	}

	static PoolGauges of(ThreadPoolExecutor pool) {
		return threadPool(pool::getCompletedTaskCount, pool::getActiveCount, pool.getQueue(), pool::getPoolSize,
				pool::getCorePoolSize, pool::getMaximumPoolSize, pool::isTerminated);
	}

	/**
	 * The gauges of a thread pool with a queue, whichever class implements it (the JDK's
	 * {@code ThreadPoolExecutor} or a web server's copy of it).
	 * @param completed tasks completed so far
	 * @param active threads running a task now
	 * @param queue the pool's queue
	 * @param size threads in the pool now
	 * @param core the core pool size
	 * @param max the maximum pool size
	 * @param terminated whether the pool has terminated
	 * @return the gauges
	 */
	public static PoolGauges threadPool(LongSupplier completed, IntSupplier active, BlockingQueue<?> queue,
			IntSupplier size, IntSupplier core, IntSupplier max, BooleanSupplier terminated) {
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_COMPLETED, completed::getAsLong,
				ThreadLensMeters.EXECUTOR_ACTIVE, active::getAsInt, ThreadLensMeters.EXECUTOR_QUEUED, queue::size,
				ThreadLensMeters.EXECUTOR_QUEUE_REMAINING, queue::remainingCapacity,
				ThreadLensMeters.EXECUTOR_POOL_SIZE, size::getAsInt, ThreadLensMeters.EXECUTOR_POOL_CORE,
				core::getAsInt, ThreadLensMeters.EXECUTOR_POOL_MAX, max::getAsInt), terminated);
	}

	static PoolGauges of(ForkJoinPool pool) {
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_STEALS, pool::getStealCount,
				ThreadLensMeters.EXECUTOR_QUEUED, () -> pool.getQueuedTaskCount() + pool.getQueuedSubmissionCount(),
				ThreadLensMeters.EXECUTOR_ACTIVE, pool::getActiveThreadCount, ThreadLensMeters.EXECUTOR_RUNNING,
				pool::getRunningThreadCount, ThreadLensMeters.EXECUTOR_PARALLELISM, pool::getParallelism,
				ThreadLensMeters.EXECUTOR_POOL_SIZE, pool::getPoolSize), pool::isTerminated);
	}

	/**
	 * An executor with no pool to read, one thread per task: the tasks it is running now are
	 * its active threads, or once it is known to run them on virtual threads its live virtual
	 * threads. The gauge that does not apply reads NaN, which publishes no series.
	 */
	static PoolGauges threadPerTask(ExecutorMonitor monitor) {
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_ACTIVE,
				() -> monitor.virtual() ? Double.NaN : monitor.running(), ThreadLensMeters.VIRTUAL_ACTIVE,
				() -> monitor.virtual() ? monitor.running() : Double.NaN), () -> false);
	}

}
