package io.github.threadlens.blocking;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadRoster;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reactor Netty's event loops, on both of Netty's transports here (NIO, and epoll where its
 * native library loads), classified by a real sampler pass: {@code idle} while they wait for
 * events, and the reason of the user code they run when a handler blocks them, here a
 * socket read ({@code io}).
 */
class EventLoopReasonsTests {

	private static final BlockingSampler.Settings SETTINGS = new BlockingSampler.Settings(Duration.ofSeconds(1), 0.01,
			Duration.ofMillis(2), 64, List.of(8, 16, 32));

	private static final Set<String> WAITS_FOR_EVENTS = Set.of("sun.nio.ch.EPoll.wait",
			"io.netty.channel.epoll.Native.epollWait0");

	private static final Set<String> READS = Set.of("sun.nio.ch.SocketDispatcher.read0", "sun.nio.ch.Net.poll");

	@ParameterizedTest
	@ValueSource(strings = { "nio", "epoll" })
	void anIdleEventLoopIsIdleAndOneBlockedInAHandlerIsNot(String transport) throws Exception {
		boolean epoll = "epoll".equals(transport);
		if (epoll) {
			Assumptions.assumeTrue(Epoll.isAvailable(), () -> "Netty's epoll transport: " + Epoll.unavailabilityCause());
		}
		String prefix = "tl-" + transport;
		LoopResources loops = LoopResources.create(prefix, 1, 1, true);
		try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			DisposableServer server = HttpServer.create()
				.host("127.0.0.1")
				.port(0)
				.runOn(loops, epoll)
				.handle((request, response) -> {
					if (request.uri().endsWith("/read")) {
						readSilence(silent);
					}
					return response.sendString(Mono.just("ok"));
				})
				.bindNow();
			try {
				HttpClient client = HttpClient.newHttpClient();
				URI root = URI.create("http://127.0.0.1:" + server.port());
				assertThat(client.send(HttpRequest.newBuilder(root.resolve("/")).build(),
						HttpResponse.BodyHandlers.ofString())
					.body()).isEqualTo("ok");
				String selectLoop = prefix + "-select-" + transport + "-1";
				String worker = prefix + "-" + transport + "-2";
				awaitTop(selectLoop, WAITS_FOR_EVENTS);
				awaitTop(worker, WAITS_FOR_EVENTS);
				Map<String, String> idle = reasons(prefix);
				assertThat(idle).containsEntry(selectLoop, "idle").containsEntry(worker, "idle");

				client.sendAsync(HttpRequest.newBuilder(root.resolve("/read")).build(),
						HttpResponse.BodyHandlers.discarding());
				awaitTop(worker, READS);
				Map<String, String> blocked = reasons(prefix);
				assertThat(blocked).containsEntry(selectLoop, "idle").containsEntry(worker, "io");
			}
			finally {
				// The handler's read ends with the silent peer.
				silent.close();
				server.disposeNow();
			}
		}
		finally {
			loops.disposeLater().block(Duration.ofSeconds(30));
		}
	}

	private static void readSilence(ServerSocket silent) {
		try (Socket socket = new Socket(silent.getInetAddress(), silent.getLocalPort())) {
			socket.getInputStream().read();
		}
		catch (IOException ex) {
			// The test closed the peer.
		}
	}

	/**
	 * Each event-loop thread's reason after one sampler pass, by thread name: the sampler
	 * publishes per pool, so each loop is read as a pool of its own.
	 */
	private static Map<String, String> reasons(String prefix) throws Exception {
		ThreadAttribution attribution = new ThreadAttribution();
		for (Thread thread : Thread.getAllStackTraces().keySet()) {
			if (thread.getName().startsWith(prefix)) {
				attribution.register(thread, thread.getName());
			}
		}
		BlockingSampler sampler = new BlockingSampler(ManagementFactory.getThreadMXBean(),
				new ThreadRoster(new PoolNamer(attribution, List.of())),
				new LockSnapshots(ManagementFactory.getThreadMXBean(), EventLoopReasonsTests::stoppedClock),
				AllPools::new, SETTINGS, EventLoopReasonsTests::stoppedClock, new CollectorFailures());
		try {
			sampler.sample();
			ObservedMeter meter = sampler.meters()
				.meters()
				.stream()
				.filter((candidate) -> candidate.definition() == ThreadLensMeters.THREADS_BLOCKING)
				.findFirst()
				.orElseThrow();
			Rows rows = meter.source().get();
			return rows.keys()
				.stream()
				.filter((key) -> key.get(0).startsWith(prefix) && rows.get(key) > 0)
				.collect(Collectors.toMap((key) -> key.get(0), (key) -> key.get(1)));
		}
		finally {
			sampler.close();
		}
	}

	/**
	 * The sampler's clock, stopped: its pass then costs nothing against its CPU budget and
	 * reads every stack, however loaded the machine.
	 */
	private static long stoppedClock() {
		return 0;
	}

	/** Wait until a thread's top frame is one of the given ones, as it is when it blocks. */
	private static void awaitTop(String name, Set<String> frames) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
				StackTraceElement[] stack = entry.getValue();
				if (entry.getKey().getName().equals(name) && stack.length > 0
						&& frames.contains(stack[0].getClassName() + "." + stack[0].getMethodName())) {
					return;
				}
			}
			Thread.sleep(10);
		}
		throw new AssertionError("Thread " + name + " never had " + frames + " on top");
	}

}
