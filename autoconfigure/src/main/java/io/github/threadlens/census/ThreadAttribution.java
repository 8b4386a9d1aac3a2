package io.github.threadlens.census;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadFactory;

import org.jspecify.annotations.Nullable;

/**
 * Exact pool attribution for threads whose creator is known: an executor that ThreadLens
 * instruments records each thread its factory makes, so the census names the pool by
 * executor rather than by guessing from the thread's name.
 * <p>
 * Keys are weak: a registration never keeps a dead thread alive.
 */
public final class ThreadAttribution {

	private final Map<Thread, String> pools = Collections.synchronizedMap(new WeakHashMap<>());

	/**
	 * Attribute a thread to a pool, overriding any name-based guess.
	 * @param thread the thread, usually not yet started
	 * @param pool the pool name
	 */
	public void register(Thread thread, String pool) {
		this.pools.put(thread, pool);
	}

	/**
	 * Wrap a thread factory so that every thread it creates is attributed to a pool.
	 * @param pool the pool name
	 * @param delegate the factory that really creates threads
	 * @return the attributing factory
	 */
	public ThreadFactory attributing(String pool, ThreadFactory delegate) {
		return (runnable) -> {
			Thread thread = delegate.newThread(runnable);
			if (thread != null) {
				register(thread, pool);
			}
			return thread;
		};
	}

	/**
	 * The pool a thread was registered under.
	 * @param thread the thread
	 * @return the pool, or {@code null} when the thread was not registered
	 */
	public @Nullable String poolOf(Thread thread) {
		return this.pools.get(thread);
	}

}
