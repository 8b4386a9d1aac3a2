package io.github.threadlens.autoconfigure;

import java.io.File;

import io.github.threadlens.testsupport.Promtool;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The files in {@code config-templates/} are read by real tools; each is checked by the tool
 * that will read it.
 */
class ConfigTemplatesTests {

	private static final File TEMPLATES = new File("../config-templates");

	@Test
	void prometheusScrapeConfigPassesPromtool() throws Exception {
		File config = new File(TEMPLATES, "prometheus/prometheus.yml");
		assertThat(config).isFile();
		Promtool.Result result = Promtool.checkConfig(config);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("SUCCESS");
	}

}
