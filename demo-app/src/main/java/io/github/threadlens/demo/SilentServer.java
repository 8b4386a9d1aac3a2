package io.github.threadlens.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback server that accepts connections and never writes: a thread reading from it is
 * RUNNABLE in a native socket read, as a thread waiting on a slow database is, without using
 * CPU. Each connection owns both its ends, so closing it gives back both descriptors.
 */
final class SilentServer implements AutoCloseable {

	private final ServerSocket server;

	SilentServer() throws IOException {
		this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
	}

	/**
	 * Connect to the server.
	 * @return a connection whose reads block until it is closed
	 * @throws IOException if the server is closed or no descriptor is left
	 */
	synchronized Connection connect() throws IOException {
		Socket client = new Socket(this.server.getInetAddress(), this.server.getLocalPort());
		try {
			while (true) {
				Socket accepted = this.server.accept();
				if (accepted.getPort() == client.getLocalPort()) {
					return new Connection(client, accepted);
				}
				// Not ours: nothing else should connect here.
				accepted.close();
			}
		}
		catch (IOException ex) {
			client.close();
			throw ex;
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	/**
	 * Both ends of one connection.
	 *
	 * @param client the end a scenario thread reads from
	 * @param server the end the server holds open and never writes to
	 */
	record Connection(Socket client, Socket server) implements AutoCloseable {

		InputStream input() throws IOException {
			return this.client.getInputStream();
		}

		@Override
		public void close() throws IOException {
			try (Socket peer = this.server) {
				this.client.close();
			}
		}

	}

}
