package io.github.threadlens.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * {@link EnableAutoConfiguration Auto-configuration} for the start-up line that says which
 * export path carries ThreadLens's series ({@link ExportNotice}). It stands apart from both
 * sinks' auto-configurations because it must speak when either of them, or both, is off.
 *
 * @author ThreadLens
 */
@AutoConfiguration(after = { ThreadLensMicrometerAutoConfiguration.class,
		ThreadLensOpenTelemetryAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "threadlens.enabled", matchIfMissing = true)
public final class ThreadLensExportAutoConfiguration {

	@Bean
	ExportNotice threadLensExportNotice(ListableBeanFactory beans, Environment environment) {
		return new ExportNotice(beans, environment);
	}

}
