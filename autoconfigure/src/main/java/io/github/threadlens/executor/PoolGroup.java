package io.github.threadlens.executor;

import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.ToLongFunction;

import io.github.threadlens.catalog.ThreadLensMeters;

/**
 * The pools that make up one executor, such as Reactor's schedulers, which run one
 * single-threaded pool per thread ({@code parallel}) or per worker ({@code boundedElastic}):
 * their gauges are the sums over the live pools, and a pool that terminated leaves the group.
 * The maximum is the executor's own bound where it has one, since its pools come and go.
 */
final class PoolGroup {

	private final Queue<ThreadPoolExecutor> pools = new ConcurrentLinkedQueue<>();

	private final OptionalInt maxThreads;

	private final PoolGauges gauges;

	PoolGroup(OptionalInt maxThreads) {
		this.maxThreads = maxThreads;
		// The pools' own queues are unbounded delay queues: their remaining capacity says
		// nothing of a bound the executor enforces above them, so it is not published.
		this.gauges = new PoolGauges(Map.of(ThreadLensMeters.EXECUTOR_COMPLETED,
				() -> sum(ThreadPoolExecutor::getCompletedTaskCount), ThreadLensMeters.EXECUTOR_ACTIVE,
				() -> sum(ThreadPoolExecutor::getActiveCount), ThreadLensMeters.EXECUTOR_QUEUED,
				() -> sum((pool) -> pool.getQueue().size()), ThreadLensMeters.EXECUTOR_POOL_SIZE,
				() -> sum(ThreadPoolExecutor::getPoolSize), ThreadLensMeters.EXECUTOR_POOL_CORE,
				() -> sum(ThreadPoolExecutor::getCorePoolSize), ThreadLensMeters.EXECUTOR_POOL_MAX,
				() -> maxThreads.isPresent() ? maxThreads.getAsInt() : sum(ThreadPoolExecutor::getMaximumPoolSize)),
				this::terminated);
	}

	PoolGauges add(ThreadPoolExecutor pool) {
		this.pools.add(pool);
		return this.gauges;
	}

	OptionalInt maxThreads() {
		return this.maxThreads;
	}

	private double sum(ToLongFunction<ThreadPoolExecutor> value) {
		long sum = 0;
		for (ThreadPoolExecutor pool : this.pools) {
			sum += value.applyAsLong(pool);
		}
		return sum;
	}

	/** Whether every pool of the group has terminated: the group then publishes nothing. */
	private boolean terminated() {
		this.pools.removeIf(ThreadPoolExecutor::isTerminated);
		return this.pools.isEmpty();
	}

}
