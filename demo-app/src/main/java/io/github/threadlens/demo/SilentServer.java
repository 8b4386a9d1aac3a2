package io.github.threadlens.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback server that accepts connections and never writes: a thread reading from it is
 * RUNNABLE in a native socket read, as a thread waiting on a slow database is, without using
 * CPU.
 */
final class SilentServer implements AutoCloseable {

	private final ServerSocket server;

	private final List<Socket> accepted = new ArrayList<>();

	SilentServer() throws IOException {
		this.server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "silent-server-acceptor");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Connect to the server.
	 * @return a socket whose reads block until it is closed
	 * @throws IOException if the server is closed
	 */
	Socket connect() throws IOException {
		return new Socket(this.server.getInetAddress(), this.server.getLocalPort());
	}

	private void accept() {
		try {
			while (true) {
				Socket socket = this.server.accept();
				synchronized (this.accepted) {
					this.accepted.add(socket);
				}
			}
		}
		catch (IOException ex) {
			// Closed: stop accepting.
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
		synchronized (this.accepted) {
			for (Socket socket : this.accepted) {
				socket.close();
			}
			this.accepted.clear();
		}
	}

}
