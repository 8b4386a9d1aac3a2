package io.github.threadlens.executor;

import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;

import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The pool gauges one executor can answer, with Micrometer's names and meanings for each
 * kind of pool, so that a dashboard built on {@code ExecutorServiceMetrics} reads them alike.
 *
 * @param values what each catalog gauge or counter reads from the pool
 * @param terminated whether the pool has terminated, after which it publishes nothing
 */
record PoolGauges(Map<MeterDefinition, DoubleSupplier> values, BooleanSupplier terminated) {

	static PoolGauges of(ThreadPoolExecutor pool) {
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_COMPLETED, pool::getCompletedTaskCount,
				ThreadLensMeters.EXECUTOR_ACTIVE, pool::getActiveCount, ThreadLensMeters.EXECUTOR_QUEUED,
				() -> pool.getQueue().size(), ThreadLensMeters.EXECUTOR_QUEUE_REMAINING,
				() -> pool.getQueue().remainingCapacity(), ThreadLensMeters.EXECUTOR_POOL_SIZE, pool::getPoolSize,
				ThreadLensMeters.EXECUTOR_POOL_CORE, pool::getCorePoolSize, ThreadLensMeters.EXECUTOR_POOL_MAX,
				pool::getMaximumPoolSize), pool::isTerminated);
	}

	static PoolGauges of(ForkJoinPool pool) {
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_STEALS, pool::getStealCount,
				ThreadLensMeters.EXECUTOR_QUEUED, () -> pool.getQueuedTaskCount() + pool.getQueuedSubmissionCount(),
				ThreadLensMeters.EXECUTOR_ACTIVE, pool::getActiveThreadCount, ThreadLensMeters.EXECUTOR_RUNNING,
				pool::getRunningThreadCount, ThreadLensMeters.EXECUTOR_PARALLELISM, pool::getParallelism,
				ThreadLensMeters.EXECUTOR_POOL_SIZE, pool::getPoolSize), pool::isTerminated);
	}

	/**
	 * An executor with no pool to read, such as one thread per task: its active count is the
	 * tasks it is running now.
	 */
	static PoolGauges of(ExecutorMonitor monitor) {
		return new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_ACTIVE, monitor::running), () -> false);
	}

}
