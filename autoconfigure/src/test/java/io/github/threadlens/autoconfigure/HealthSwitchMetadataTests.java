package io.github.threadlens.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health indicator switches in the configuration metadata this module ships: read from the
 * class path as an IDE reads it (the processor merges
 * {@code additional-spring-configuration-metadata.json} into it), with the default the
 * auto-configuration actually applies when the property is absent.
 */
class HealthSwitchMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ThreadLensCensusAutoConfiguration.class,
				ThreadLensBlockingAutoConfiguration.class, ThreadLensHealthAutoConfiguration.class));

	@ParameterizedTest
	@CsvSource({ "management.health.deadlock.enabled, deadlockHealthIndicator",
			"management.health.threadleak.enabled, threadLeakHealthIndicator" })
	void switchIsDescribedWithTheDefaultTheAutoConfigurationApplies(String name, String indicator)
			throws IOException {
		JsonNode property = ownMetadata().get(name);
		assertThat(property).as("%s in this module's %s", name, METADATA).isNotNull();
		assertThat(property.get("type").asString()).isEqualTo(Boolean.class.getName());
		assertThat(property.get("description").asString()).as("description of %s", name).contains("ThreadLens");
		JsonNode defaultValue = property.get("defaultValue");
		assertThat(defaultValue).as("default of %s", name).isNotNull();
		boolean enabledByDefault = defaultValue.asBoolean();
		this.runner.run((context) -> assertThat(context.containsBean(indicator))
			.as("%s without %s", indicator, name)
			.isEqualTo(enabledByDefault));
		this.runner.withPropertyValues(name + "=" + !enabledByDefault)
			.run((context) -> assertThat(context.containsBean(indicator)).as("%s with %s=%s", indicator, name,
					!enabledByDefault)
				.isEqualTo(!enabledByDefault));
	}

	/** The properties of the metadata found where this module's classes are, by name. */
	private static Map<String, JsonNode> ownMetadata() throws IOException {
		String location = ThreadLensHealthAutoConfiguration.class.getProtectionDomain()
			.getCodeSource()
			.getLocation()
			.toString();
		List<URL> own = new ArrayList<>();
		for (URL url : Collections.list(HealthSwitchMetadataTests.class.getClassLoader().getResources(METADATA))) {
			if (url.toString().contains(location.replaceFirst("^file:", ""))) {
				own.add(url);
			}
		}
		assertThat(own).as("%s next to %s", METADATA, location).hasSize(1);
		Map<String, JsonNode> properties = new LinkedHashMap<>();
		try (InputStream in = own.get(0).openStream()) {
			for (JsonNode property : new ObjectMapper().readTree(in).get("properties")) {
				properties.put(property.get("name").asString(), property);
			}
		}
		return properties;
	}

}
