package io.github.threadlens.export.tracing;

import io.github.threadlens.catalog.ExemplarContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import org.jspecify.annotations.Nullable;

/**
 * The submitter's trace as the OpenTelemetry context holds it, for applications traced by
 * the OpenTelemetry Java agent or SDK without Micrometer Tracing: the SDK's exemplar filter
 * reads the span of the context current while a histogram records.
 */
public final class OpenTelemetryExemplarContext implements ExemplarContext {

	@Override
	public @Nullable Object capture() {
		Context context = Context.current();
		return Span.fromContext(context).getSpanContext().isValid() ? context : null;
	}

	@Override
	public Scope open(Object captured) {
		io.opentelemetry.context.Scope scope = ((Context) captured).makeCurrent();
		return scope::close;
	}

}
