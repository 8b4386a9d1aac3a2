package io.github.threadlens.catalog;

import org.jspecify.annotations.Nullable;

/**
 * Carries the trace context of whoever submitted a task to the thread that records the
 * task's durations, so that the exemplars a sink attaches to a recording (Prometheus's
 * through Micrometer, the OpenTelemetry SDK's) point at the submitter's trace rather than at
 * whatever the worker thread happens to have current.
 * <p>
 * Collectors only hold what {@link #capture()} returns; the tracing library behind it is the
 * wiring's choice.
 */
public interface ExemplarContext {

	/** No tracing: nothing is captured, recordings carry no exemplar of the submitter. */
	ExemplarContext NONE = new ExemplarContext() {

		@Override
		public @Nullable Object capture() {
			return null;
		}

		@Override
		public Scope open(Object captured) {
			return () -> {
			};
		}

	};

	/**
	 * The current thread's trace context.
	 * @return the context, or {@code null} when no span is current
	 */
	@Nullable Object capture();

	/**
	 * Make a captured context current on this thread until the scope closes.
	 * @param captured what {@link #capture()} returned on the submitting thread
	 * @return the scope, which restores the thread's own context when closed
	 */
	Scope open(Object captured);

	/** A captured context made current. */
	interface Scope extends AutoCloseable {

		@Override
		void close();

	}

}
