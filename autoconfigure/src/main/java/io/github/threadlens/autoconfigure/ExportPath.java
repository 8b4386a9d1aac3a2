package io.github.threadlens.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * An export path that decides at run time whether it carries ThreadLens's series, as the
 * start-up line reports it. Free of OpenTelemetry types, so that the line can ask for it
 * where the OpenTelemetry API is absent.
 */
interface ExportPath {

	/**
	 * Why the path carries nothing.
	 * @return the reason, or {@code null} when the path exports
	 */
	@Nullable String offReason();

}
