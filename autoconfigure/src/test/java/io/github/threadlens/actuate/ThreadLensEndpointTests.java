package io.github.threadlens.actuate;

import java.lang.management.ManagementFactory;
import java.util.List;

import io.github.threadlens.blocking.ThreadDump;
import io.github.threadlens.blocking.ThreadGrouping;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.testsupport.RealThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ThreadLensEndpointTests {

	private final RealThreads threads = new RealThreads();

	private final ThreadLensEndpoint endpoint = new ThreadLensEndpoint(new ThreadGrouping(
			ManagementFactory.getThreadMXBean(), new ThreadRoster(new PoolNamer(new ThreadAttribution(), List.of()))));

	@AfterEach
	void stop() throws Exception {
		this.threads.close();
	}

	@Test
	void groupsThreadsOfAPoolThatShareStateReasonAndFrames() {
		this.threads.start("dump-waiting", 5, Thread.State.WAITING);
		this.threads.start("dump-sleeping", 2, Thread.State.TIMED_WAITING);

		ThreadDump dump = this.endpoint.groups("dump-waiting", null, null, null, null, null);

		assertThat(dump.threads()).isEqualTo(5);
		assertThat(dump.groups()).hasSize(1);
		ThreadDump.Group group = dump.groups().get(0);
		assertThat(group.count()).isEqualTo(5);
		assertThat(group.pool()).isEqualTo("dump-waiting");
		assertThat(group.state()).isEqualTo("WAITING");
		assertThat(group.reason()).isEqualTo("lock");
		assertThat(group.frames()).hasSize(5).first().asString().contains("park");
		assertThat(group.examples()).hasSize(3).allSatisfy((name) -> assertThat(name).startsWith("dump-waiting-"));
	}

	@Test
	void filtersByStateReasonAndLimitsLargestFirst() {
		this.threads.start("dump-a", 4, Thread.State.WAITING);
		this.threads.start("dump-b", 2, Thread.State.TIMED_WAITING);
		this.threads.start("dump-c", 1, Thread.State.BLOCKED);

		assertThat(this.endpoint.groups(null, "timed-waiting", null, null, 1000, null).groups())
			.anySatisfy((group) -> assertThat(group.pool()).isEqualTo("dump-b"))
			.allSatisfy((group) -> assertThat(group.state()).isEqualTo("TIMED_WAITING"));
		assertThat(this.endpoint.groups(null, null, "monitor", null, null, null).groups())
			.singleElement()
			.satisfies((group) -> assertThat(group.pool()).isEqualTo("dump-c"));
		List<ThreadDump.Group> largest = this.endpoint.groups(null, null, null, null, 2, null).groups();
		assertThat(largest).hasSize(2);
		assertThat(largest.get(0).count()).isGreaterThanOrEqualTo(largest.get(1).count());
	}

	@Test
	void textOutputShowsCountsFramesAndExamples() {
		this.threads.start("dump-text", 3, Thread.State.WAITING);
		String text = this.endpoint.text("dump-text", null, null, 2, null, null);
		assertThat(text).startsWith("3 threads in 1 groups")
			.contains("3 x pool=dump-text state=WAITING reason=lock")
			.contains("    at jdk.internal.misc.Unsafe.park")
			.contains("    e.g. dump-text-");
	}

	@Test
	void badParametersAreRejectedWithTheReason() {
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.groups(null, "sleepy", null, null, null, null))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'state'"));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.groups(null, null, "bored", null, null, null))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'reason'").contains("object_wait"));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.groups(null, null, null, 0, null, null))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'depth'"));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.groups(null, null, null, null, 5000, null))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'limit'"));
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.groups(null, null, null, null, null, "maybe"))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'virtual'").contains("true or false"));
	}

	// What a JDK 17 endpoint is built with: no JDK thread dump to read virtual threads from.
	@Test
	void virtualThreadsAreRefusedWithTheReasonWhereThereIsNoDump() {
		this.threads.start("dump-platform", 2, Thread.State.WAITING);
		assertThat(this.endpoint.groups("dump-platform", null, null, null, null, "false").threads()).isEqualTo(2);
		assertThatExceptionOfType(InvalidEndpointRequestException.class)
			.isThrownBy(() -> this.endpoint.groups("dump-platform", null, null, null, null, "true"))
			.satisfies((ex) -> assertThat(ex.getReason()).contains("'virtual'")
				.contains("JDK 21+")
				.contains("Java " + Runtime.version().feature()));
	}

}
