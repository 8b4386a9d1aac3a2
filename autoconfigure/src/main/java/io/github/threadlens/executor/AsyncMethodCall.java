package io.github.threadlens.executor;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

/**
 * One invocation of an {@code @Async} method, from its submission to the end of the task
 * that runs it: whether the method failed, as Spring tells its exception handler or its
 * future, which the task itself does not show.
 * <p>
 * The call is current in the calling thread while Spring submits the invocation, and the task
 * an instrumented executor wraps then claims it; in the thread that runs the method it
 * learns whether the method threw, or whether the future the method returned failed as
 * Spring waited for it. The task reads the outcome when it ends, in that same thread.
 */
final class AsyncMethodCall {

	private static final ThreadLocal<AsyncMethodCall> submitting = new ThreadLocal<>();

	// Written and read in the thread that runs the method.
	private boolean failed;

	/**
	 * Take the call being submitted in this thread, if any, for the task being wrapped: the
	 * task Spring submits is the first one wrapped, and the call is no one else's.
	 * @return the call, or {@code null} when the task is not an {@code @Async} invocation's
	 */
	static @Nullable AsyncMethodCall claim() {
		AsyncMethodCall call = submitting.get();
		if (call != null) {
			submitting.remove();
		}
		return call;
	}

	/**
	 * Whether a task's call failed.
	 * @param call the call the task claimed, or {@code null}
	 * @return whether it failed
	 */
	static boolean failed(@Nullable AsyncMethodCall call) {
		return call != null && call.failed;
	}

	/**
	 * Submit the invocation, through the rest of the interceptor chain, with this call
	 * current in the calling thread.
	 * @param invocation the invocation, before Spring's async interceptor
	 * @return what Spring returns to the caller
	 * @throws Throwable what Spring throws to the caller
	 */
	Object submit(MethodInvocation invocation) throws Throwable {
		AsyncMethodCall outer = submitting.get();
		submitting.set(this);
		try {
			return invocation.proceed();
		}
		finally {
			if (outer != null) {
				submitting.set(outer);
			}
			else {
				submitting.remove();
			}
		}
	}

	/**
	 * Run the method, noting whether it fails.
	 * @param invocation the invocation, after Spring's async interceptor
	 * @return what the method returned, a future watched for its failure
	 * @throws Throwable what the method threw
	 */
	Object run(MethodInvocation invocation) throws Throwable {
		if (submitting.get() == this) {
			// Run in the calling thread by an executor ThreadLens does not wrap: no task
			// claimed this call, and the tasks the method submits are not it.
			submitting.remove();
		}
		try {
			Object result = invocation.proceed();
			// Spring's task waits for a returned future and fails with it.
			return (result instanceof Future<?> future) ? new WatchedFuture<>(future) : result;
		}
		catch (Throwable ex) {
			this.failed = true;
			throw ex;
		}
	}

	/**
	 * The future an {@code @Async} method returned, as the task that ran the method waits
	 * for it: what {@code get()} throws, the task ends with.
	 */
	private final class WatchedFuture<V> implements Future<V> {

		private final Future<V> future;

		WatchedFuture(Future<V> future) {
			this.future = future;
		}

		@Override
		public V get() throws InterruptedException, ExecutionException {
			try {
				return this.future.get();
			}
			catch (Throwable ex) {
				AsyncMethodCall.this.failed = true;
				throw ex;
			}
		}

		// Spring's task waits with get(): this one is only passed through.
		@Override
		public V get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
			return this.future.get(timeout, unit);
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			return this.future.cancel(mayInterruptIfRunning);
		}

		@Override
		public boolean isCancelled() {
			return this.future.isCancelled();
		}

		@Override
		public boolean isDone() {
			return this.future.isDone();
		}

	}

}
