package io.github.threadlens.executor;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An executor service that times tasks on their way to another, to which every lifecycle
 * call goes unchanged: shutting it down shuts the delegate down.
 */
abstract class ForwardingExecutorService extends AbstractExecutorService {

	private final ExecutorService lifecycle;

	ForwardingExecutorService(ExecutorService lifecycle) {
		this.lifecycle = lifecycle;
	}

	@Override
	public void shutdown() {
		this.lifecycle.shutdown();
	}

	@Override
	public List<Runnable> shutdownNow() {
		return this.lifecycle.shutdownNow();
	}

	@Override
	public boolean isShutdown() {
		return this.lifecycle.isShutdown();
	}

	@Override
	public boolean isTerminated() {
		return this.lifecycle.isTerminated();
	}

	@Override
	public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		return this.lifecycle.awaitTermination(timeout, unit);
	}

}
