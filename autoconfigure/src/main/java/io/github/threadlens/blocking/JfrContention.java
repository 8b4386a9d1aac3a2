package io.github.threadlens.blocking;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.github.threadlens.catalog.DurationRecorder;
import io.github.threadlens.catalog.MeterDefinition;
import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.catalog.TimerSinks;
import io.github.threadlens.census.PoolNamer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Lock latency from one JFR {@link RecordingStream}: every {@code jdk.JavaMonitorEnter}
 * (waiting to enter a contended {@code synchronized} block) and {@code jdk.ThreadPark}
 * (parked on a lock, condition or queue) longer than a threshold is recorded into
 * {@code jvm.threads.monitor.contention} and {@code jvm.threads.park}, tagged with the
 * thread's pool and the monitor's or blocker's class; on JDK 21+ {@code jdk.VirtualThreadPinned}
 * into {@code jvm.threads.virtual.pinned}. An event keeps the pool of its thread when the
 * thread has ended by the time the stream reads it, as a short-lived thread has: the pool is
 * found by the thread's id while it lives, else from the name the event records, through the
 * census's {@link PoolNamer}.
 * <p>
 * Both tags are bounded: pools beyond the {@link #retain retained} ones (those published by
 * name and those in their grace period), and classes beyond the first {@code maxClasses} seen
 * in retained pools, are recorded as {@code other}; the series of a pool that is no longer
 * retained are removed from every sink that can forget them. Where the JVM has no JFR or
 * refuses a recording, the two timers are absent and the failure is counted; nothing else
 * depends on them.
 * <p>
 * The stream's parser keeps every thread an event names until two chunks later, a few hundred
 * bytes each, and a chunk of few events can last for hours: with threads started per request
 * that memory would grow with every thread ever started. So after every
 * {@value #THREADS_PER_CHUNK} threads started, an empty recording is started and closed,
 * which makes JFR begin a new chunk.
 */
public final class JfrContention implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(JfrContention.class);

	private static final String MONITOR_ENTER = "jdk.JavaMonitorEnter";

	private static final String THREAD_PARK = "jdk.ThreadPark";

	// JDK 21+; on older JDKs enabling it is ignored and no such event arrives.
	private static final String VIRTUAL_THREAD_PINNED = "jdk.VirtualThreadPinned";

	/** Histogram bucket boundaries of both timers: from a short lock hand-off to a stall. */
	public static final List<Duration> BUCKETS = List.of(Duration.ofMillis(1), Duration.ofMillis(5),
			Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
			Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
			Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

	/** Threads started between two chunk boundaries this stream asks for. */
	static final long THREADS_PER_CHUNK = 10_000;

	/**
	 * The smallest heap the stream is started in: it holds a few megabytes once started and
	 * up to about 6 MB more for the threads of two chunks, which a smaller heap should not
	 * have to find.
	 */
	static final long MIN_HEAP_BYTES = 64L * 1024 * 1024;

	private static final List<String> UNNAMED = List.of(ThreadLensMeters.OTHER, ThreadLensMeters.OTHER);

	private final TimerSinks timers;

	private final Object pinnedLock = new Object();

	private final PoolsById pools;

	private final int maxClasses;

	private final long threadsPerChunk;

	private final LongSupplier startedThreads = ManagementFactory.getThreadMXBean()::getTotalStartedThreadCount;

	// Written before the stream starts, then read and written on its dispatcher thread only.
	private long startedAtChunkBoundary;

	private CollectorFailures failures;

	private final Set<String> classes = ConcurrentHashMap.newKeySet();

	// Created and removed under its own lock, which also guards changes of retainedPools; read
	// without it.
	private final Map<Series, DurationRecorder> recorders = new ConcurrentHashMap<>();

	private volatile Set<String> retainedPools = Set.of();

	private RecordingStream stream;

	// Registered at the first pinning, so that a JVM without virtual threads shows no timer.
	private DurationRecorder pinned;

	private boolean capReported;

	/**
	 * Create the recorder of lock latency.
	 * @param timers the sinks' timers
	 * @param namer the census's pool naming, to name the pool of an event's thread
	 * @param maxClasses the most distinct class tag values
	 */
	public JfrContention(TimerSinks timers, PoolNamer namer, int maxClasses) {
		this(timers, namer, maxClasses, THREADS_PER_CHUNK);
	}

	JfrContention(TimerSinks timers, PoolNamer namer, int maxClasses, long threadsPerChunk) {
		this.threadsPerChunk = threadsPerChunk;
		this.timers = timers;
		this.pools = new PoolsById(namer, System::nanoTime);
		this.maxClasses = maxClasses;
	}

	/**
	 * Start the recording stream, unless the heap is too small for it or it runs already;
	 * {@link #close()} stops it, and it can be started again.
	 * @param threshold the shortest wait recorded
	 * @param failures where a failure to start is counted
	 * @return whether it started; when not, the failure has been counted
	 */
	public boolean start(Duration threshold, CollectorFailures failures) {
		return start(threshold, Runtime.getRuntime().maxMemory(), failures);
	}

	synchronized boolean start(Duration threshold, long maxHeapBytes, CollectorFailures failures) {
		if (this.stream != null) {
			return true;
		}
		if (maxHeapBytes < MIN_HEAP_BYTES) {
			failures.unavailable("jfr", "The heap's maximum (" + maxHeapBytes / (1024 * 1024) + " MB) is below the "
					+ MIN_HEAP_BYTES / (1024 * 1024) + " MB the JFR stream is started in: "
					+ "jvm.threads.monitor.contention and jvm.threads.park are not published; "
					+ "threadlens.jfr.enabled=false turns the attempt off");
			return false;
		}
		try {
			RecordingStream recording = new RecordingStream();
			recording.enable(MONITOR_ENTER).withThreshold(threshold);
			recording.enable(THREAD_PARK).withThreshold(threshold);
			recording.onEvent(MONITOR_ENTER,
					(event) -> record(ThreadLensMeters.MONITOR_CONTENTION, event, "monitorClass"));
			recording.onEvent(THREAD_PARK, (event) -> record(ThreadLensMeters.THREAD_PARK, event, "parkedClass"));
			recording.enable(VIRTUAL_THREAD_PINNED).withThreshold(threshold);
			recording.onEvent(VIRTUAL_THREAD_PINNED, (event) -> pinned().record(event.getDuration().toNanos()));
			this.startedAtChunkBoundary = this.startedThreads.getAsLong();
			this.failures = failures;
			recording.onFlush(this::newChunkAfterManyThreads);
			recording.startAsync();
			this.stream = recording;
			return true;
		}
		catch (RuntimeException | LinkageError ex) {
			failures.failed("jfr", "JFR is not available: jvm.threads.monitor.contention and jvm.threads.park are "
					+ "not published; threadlens.jfr.enabled=false turns the attempt off", ex);
			return false;
		}
	}

	private void record(MeterDefinition timer, RecordedEvent event, String classField) {
		RecordedThread thread = event.getThread();
		String pool = (thread != null) ? this.pools.poolOf(thread.getJavaThreadId(), thread.getJavaName())
				: ThreadLensMeters.OTHER;
		// A thread outside the retained pools takes no class slot either: its events are all
		// other.
		List<String> tags = isRetained(pool) ? List.of(pool, className(event, classField)) : UNNAMED;
		DurationRecorder recorder = this.recorders.get(new Series(timer, tags));
		if (recorder == null) {
			recorder = newRecorder(timer, tags);
		}
		recorder.record(event.getDuration().toNanos());
	}

	private boolean isRetained(String pool) {
		return !pool.equals(ThreadLensMeters.OTHER) && this.retainedPools.contains(pool);
	}

	private DurationRecorder newRecorder(MeterDefinition timer, List<String> tags) {
		synchronized (this.recorders) {
			// Asked again under the lock that retain() takes: a pool retired since it was
			// asked must not get a series that no removal would find.
			List<String> kept = isRetained(tags.get(0)) ? tags : UNNAMED;
			return this.recorders.computeIfAbsent(new Series(timer, kept),
					(series) -> this.timers.timer(timer, kept, BUCKETS));
		}
	}

	/**
	 * Name these pools from now on, and remove the series of every other pool from every sink
	 * that can forget them. Until the first call, every event is recorded as {@code other}.
	 * @param pools the retained pools: those published by name and those in their grace
	 * period
	 */
	public void retain(Set<String> pools) {
		synchronized (this.recorders) {
			this.retainedPools = Set.copyOf(pools);
			Iterator<Series> all = this.recorders.keySet().iterator();
			while (all.hasNext()) {
				Series series = all.next();
				String pool = series.tags().get(0);
				if (!pool.equals(ThreadLensMeters.OTHER) && !isRetained(pool)) {
					all.remove();
					this.timers.remove(series.timer(), series.tags());
				}
			}
		}
	}

	private void newChunkAfterManyThreads() {
		long started = this.startedThreads.getAsLong();
		if (started - this.startedAtChunkBoundary >= this.threadsPerChunk) {
			this.startedAtChunkBoundary = started;
			try (Recording boundary = new Recording()) {
				boundary.setName("threadlens-chunk-boundary");
				boundary.start();
			}
			catch (RuntimeException ex) {
				this.failures.failed("jfr", "JFR refused a chunk boundary: the JFR stream's memory grows with the "
						+ "threads started until JFR begins a new chunk by itself", ex);
			}
		}
	}

	private DurationRecorder pinned() {
		// Not the instance's lock: close() holds that while the stream's dispatcher finishes.
		synchronized (this.pinnedLock) {
			if (this.pinned == null) {
				this.pinned = this.timers.timer(ThreadLensMeters.VIRTUAL_PINNED, List.of(), BUCKETS);
			}
			return this.pinned;
		}
	}

	private String className(RecordedEvent event, String field) {
		RecordedClass type = event.hasField(field) ? event.getClass(field) : null;
		String name = (type != null) ? type.getName() : "none";
		if (this.classes.contains(name)) {
			return name;
		}
		synchronized (this.classes) {
			if (this.classes.size() < this.maxClasses) {
				this.classes.add(name);
				return name;
			}
			if (!this.capReported) {
				this.capReported = true;
				logger.info("threadlens.cardinality.max-classes (" + this.maxClasses + ") reached: " + name
						+ " and later classes are tagged class=\"other\" in jvm.threads.monitor.contention and "
						+ "jvm.threads.park");
			}
		}
		return ThreadLensMeters.OTHER;
	}

	@Override
	public synchronized void close() {
		if (this.stream != null) {
			this.stream.close();
			this.stream = null;
		}
	}

	private record Series(MeterDefinition timer, List<String> tags) {

	}

}
