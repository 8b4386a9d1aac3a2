package io.github.threadlens.export.tracing;

import io.github.threadlens.catalog.ExemplarContext;
import io.micrometer.tracing.CurrentTraceContext;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * The submitter's trace as Micrometer Tracing sees it, whichever tracer bridge is behind it:
 * Prometheus exemplars read the current span through the same {@link Tracer}, and with the
 * OpenTelemetry bridge the span is also current for the OpenTelemetry SDK's exemplars.
 */
public final class MicrometerTracingExemplarContext implements ExemplarContext {

	private final CurrentTraceContext current;

	public MicrometerTracingExemplarContext(Tracer tracer) {
		this.current = tracer.currentTraceContext();
	}

	@Override
	public @Nullable Object capture() {
		return this.current.context();
	}

	@Override
	public Scope open(Object captured) {
		CurrentTraceContext.Scope scope = this.current.maybeScope((TraceContext) captured);
		return scope::close;
	}

}
