package io.github.threadlens.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Loopback ports for servers that cannot pick a free port themselves and report it
 * (OpenTelemetry's Prometheus exporter, a Prometheus started by a test).
 */
public final class FreePorts {

	private FreePorts() {
	}

	/**
	 * A port free at the time of asking.
	 * @return the port
	 */
	public static int free() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
