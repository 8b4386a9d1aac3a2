package io.github.threadlens.blocking;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.testsupport.Jdk;
import io.github.threadlens.testsupport.RealThreads;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the collectors ask the JVM to stop for, as JFR records it: every VM operation
 * ({@code jdk.ExecuteVMOperation}) with the thread that asked for it and whether it was a
 * global safepoint. The census and deadlock detection never ask for one; on JDK 21+ neither
 * does the blocking sampler. Collections are left out: any code that allocates may trigger one
 * from its thread, and they are the collector's pauses, not reads of threads.
 */
class NoGlobalSafepointTests {

	// The names of the collectors' VM operations: G1CollectForAllocation, G1PauseRemark, ...
	private static final Pattern COLLECTION = Pattern.compile("G1|GC|Collect");

	private final RealThreads threads = new RealThreads();

	@TempDir
	Path temp;

	@AfterEach
	void stop() throws Exception {
		this.threads.close();
	}

	@Test
	void theCensusStopsNothing() throws Exception {
		this.threads.start("census", 500, Thread.State.WAITING);
		ThreadCensus census = new ThreadCensus(new PoolNamer(new ThreadAttribution(), List.of()), Duration.ZERO);
		assertThat(safepointsAskedBy(() -> {
			for (int i = 0; i < 20; i++) {
				assertThat(census.snapshot()).isNotNull();
			}
			return null;
		})).isEmpty();
	}

	@Test
	void deadlockDetectionStopsNothing() throws Exception {
		this.threads.start("detected", 500, Thread.State.BLOCKED);
		DeadlockDetector detector = new DeadlockDetector(
				new LockSnapshots(ManagementFactory.getThreadMXBean(), System::nanoTime), Duration.ZERO,
				System::nanoTime, new CollectorFailures());
		assertThat(safepointsAskedBy(() -> {
			for (int i = 0; i < 20; i++) {
				assertThat(detector.current()).isNotNull();
			}
			return null;
		})).isEmpty();
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = Jdk.NEEDS_21)
	void theBlockingSamplerStopsNothingOnJdk21AndLater() throws Exception {
		this.threads.start("sampled", 500, Thread.State.WAITING);
		BlockingSampler sampler = new BlockingSampler(ManagementFactory.getThreadMXBean(),
				new ThreadRoster(new PoolNamer(new ThreadAttribution(), List.of())),
				new LockSnapshots(ManagementFactory.getThreadMXBean(), System::nanoTime), Set::of,
				new BlockingSampler.Settings(Duration.ofSeconds(1), 1.0, Duration.ofMillis(2), 64, List.of(8, 16, 32)),
				System::nanoTime, new CollectorFailures());
		assertThat(safepointsAskedBy(() -> {
			for (int i = 0; i < 5; i++) {
				sampler.sample();
			}
			return null;
		})).isEmpty();
	}

	@Test
	void aStackReadOfAnotherThreadIsSeenAsAGlobalSafepoint() throws Exception {
		// The check above would notice: ThreadMXBean's read with frames is one on every JDK.
		this.threads.start("dumped", 10, Thread.State.WAITING);
		assertThat(safepointsAskedBy(() -> ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)))
			.isNotEmpty();
	}

	/** The global safepoints the current thread asked for while running the work. */
	private List<String> safepointsAskedBy(Callable<?> work) throws Exception {
		Path file = this.temp.resolve("operations.jfr");
		Instant begun;
		Instant ended;
		try (Recording recording = new Recording()) {
			recording.enable("jdk.ExecuteVMOperation").withThreshold(Duration.ZERO);
			recording.start();
			// Starting a recording redefines JFR's own event classes: only what follows counts.
			begun = Instant.now();
			work.call();
			ended = Instant.now();
			recording.stop();
			recording.dump(file);
		}
		long self = Thread.currentThread().getId();
		List<String> asked = RecordingFile.readAllEvents(file)
			.stream()
			.filter((event) -> event.getEventType().getName().equals("jdk.ExecuteVMOperation"))
			.filter((event) -> event.getBoolean("safepoint"))
			.filter((event) -> !COLLECTION.matcher(event.getString("operation")).find())
			.filter((event) -> !event.getStartTime().isBefore(begun) && !event.getStartTime().isAfter(ended))
			.filter((event) -> event.getThread("caller") != null
					&& event.getThread("caller").getJavaThreadId() == self)
			.map((RecordedEvent event) -> event.getString("operation"))
			.toList();
		Files.deleteIfExists(file);
		return asked;
	}

}
