package io.github.threadlens.demo;

import java.net.InetAddress;
import java.net.ServerSocket;

import io.github.threadlens.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A busy exporter port stops the demo with Boot's failure report naming the port and the
 * property that moves it, not with the bean creation chain that reached the exporter.
 */
@ExtendWith(OutputCaptureExtension.class)
class ExporterPortInUseTests {

	@Test
	void busyExporterPortIsReportedByPortAndProperty(CapturedOutput output) throws Exception {
		int port = FreePorts.free();
		try (ServerSocket busy = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			assertThatException()
				.isThrownBy(() -> new SpringApplicationBuilder(DemoApplication.class)
					.run("--server.port=0", "--demo.otel.prometheus.host=127.0.0.1",
							"--demo.otel.prometheus.port=" + port))
				.havingRootCause()
				.isInstanceOf(java.net.BindException.class);
		}
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Port " + port + " on 127.0.0.1 was already in use")
			.contains("set demo.otel.prometheus.port to another port")
			.doesNotContain("Error creating bean with name 'threadLens");
	}

}
