package io.github.threadlens.blocking;

import java.lang.management.ThreadInfo;
import java.util.List;

import io.github.threadlens.catalog.BlockingReason;
import org.jspecify.annotations.Nullable;

/**
 * Classifies why a thread waits from its state and the frames on its stack. The mapping is
 * the {@link #WAITING_FRAMES}, {@link #SELECTOR_FRAMES} and {@link #IO_FRAMES} tables, not
 * code: {@code docs/meters.md} lists the same rows.
 * <p>
 * A BLOCKED thread waits for a monitor. A RUNNABLE thread is idle when it waits for events
 * in a selector or an event loop's own {@code epoll_wait} (see {@link #SELECTOR_FRAMES}), as an
 * idle Netty event loop or Tomcat's poller does; it waits on I/O when its top frame is any
 * other native read; otherwise it runs and is not classified. A WAITING or TIMED_WAITING thread
 * gets the reason of the first row, in table order, with a frame anywhere in its stack: the
 * order matters, since an idle worker is parked inside a lock's condition and a join waits
 * inside {@code Object.wait}.
 */
public final class ReasonClassifier {

	/** Rows for WAITING and TIMED_WAITING threads, first match wins. */
	static final List<Row> WAITING_FRAMES = List.of(new Row(BlockingReason.SLEEP, "java.lang.Thread", "sleep"),
			new Row(BlockingReason.SLEEP, "java.lang.Thread", "sleepNanos"),
			new Row(BlockingReason.JOIN, "java.lang.Thread", "join"),
			new Row(BlockingReason.FUTURE, "java.util.concurrent.FutureTask", "awaitDone"),
			new Row(BlockingReason.FUTURE, "java.util.concurrent.CompletableFuture", "waitingGet"),
			new Row(BlockingReason.FUTURE, "java.util.concurrent.CompletableFuture", "timedGet"),
			new Row(BlockingReason.IDLE, "java.util.concurrent.ThreadPoolExecutor", "getTask"),
			new Row(BlockingReason.IDLE, "org.apache.tomcat.util.threads.ThreadPoolExecutor", "getTask"),
			new Row(BlockingReason.IDLE, "java.util.concurrent.ForkJoinPool", "awaitWork"),
			// Jetty 12: a QueuedThreadPool worker polling the job queue, a reserved thread
			// waiting to be handed a job.
			new Row(BlockingReason.IDLE, "org.eclipse.jetty.util.thread.QueuedThreadPool$Runner", "idleJobPoll"),
			new Row(BlockingReason.IDLE, "org.eclipse.jetty.util.thread.ReservedThreadExecutor$ReservedThread",
					"waitForTask"),
			new Row(BlockingReason.OBJECT_WAIT, "java.lang.Object", "wait"),
			new Row(BlockingReason.LOCK, "java.util.concurrent.locks.LockSupport", "*"));

	/** Top frames of a RUNNABLE thread that is in fact waiting on I/O. */
	static final List<Row> IO_FRAMES = List.of(new Row(BlockingReason.IO, "sun.nio.ch.SocketDispatcher", "read0"),
			new Row(BlockingReason.IO, "sun.nio.ch.SocketDispatcher", "readv0"),
			new Row(BlockingReason.IO, "sun.nio.ch.Net", "poll"),
			new Row(BlockingReason.IO, "sun.nio.ch.Net", "accept"),
			new Row(BlockingReason.IO, "sun.nio.ch.EPoll", "wait"),
			new Row(BlockingReason.IO, "sun.nio.ch.KQueue", "poll"),
			new Row(BlockingReason.IO, "sun.nio.ch.FileDispatcherImpl", "read0"),
			new Row(BlockingReason.IO, "sun.nio.ch.UnixFileDispatcherImpl", "read0"),
			new Row(BlockingReason.IO, "java.io.FileInputStream", "readBytes"),
			new Row(BlockingReason.IO, "java.net.SocketInputStream", "socketRead0"));

	/**
	 * Frames of a RUNNABLE thread waiting for events rather than on one read: a selector's
	 * select (under the {@link #IO_FRAMES} wait at the top of its stack, {@code EPoll.wait} on
	 * Linux), Netty's NIO transport included, and the top frame of Netty's native epoll
	 * transport's wait, which only its event loops call. Read from the stacks of idle Reactor
	 * Netty event loops on both transports.
	 */
	static final List<Row> SELECTOR_FRAMES = List.of(
			new Row(BlockingReason.IDLE, "sun.nio.ch.SelectorImpl", "lockAndDoSelect"),
			new Row(BlockingReason.IDLE, "io.netty.channel.epoll.Native", "epollWait0"),
			new Row(BlockingReason.IDLE, "io.netty.channel.epoll.Native", "epollBusyWait0"));

	/**
	 * The reason a thread waits.
	 * @param info the thread's state and stack
	 * @return the reason, or {@code null} for a thread that is running (or gone)
	 */
	public @Nullable BlockingReason classify(ThreadInfo info) {
		return classify(info.getThreadState(), info.getStackTrace());
	}

	@Nullable BlockingReason classify(Thread.State state, StackTraceElement[] stack) {
		switch (state) {
			case BLOCKED:
				return BlockingReason.MONITOR;
			case RUNNABLE:
				return runnable(stack);
			case WAITING:
			case TIMED_WAITING:
				for (Row row : WAITING_FRAMES) {
					for (StackTraceElement frame : stack) {
						if (row.matches(frame)) {
							return row.reason();
						}
					}
				}
				return BlockingReason.OTHER;
			default:
				return null;
		}
	}

	private static @Nullable BlockingReason runnable(StackTraceElement[] stack) {
		if (stack.length == 0) {
			return null;
		}
		if (matches(SELECTOR_FRAMES, stack[0]) != null) {
			return BlockingReason.IDLE;
		}
		if (matches(IO_FRAMES, stack[0]) == null) {
			return null;
		}
		// A selector's wait is a native read at the top, with the select a few frames below.
		for (StackTraceElement frame : stack) {
			if (matches(SELECTOR_FRAMES, frame) != null) {
				return BlockingReason.IDLE;
			}
		}
		return BlockingReason.IO;
	}

	private static @Nullable BlockingReason matches(List<Row> rows, StackTraceElement frame) {
		for (Row row : rows) {
			if (row.matches(frame)) {
				return row.reason();
			}
		}
		return null;
	}

	/**
	 * One row of a table: a frame's class and method ({@code *} for any method), and the
	 * reason a thread with that frame waits for.
	 *
	 * @param reason the reason
	 * @param className the frame's class
	 * @param methodName the frame's method, or {@code *}
	 */
	record Row(BlockingReason reason, String className, String methodName) {

		boolean matches(StackTraceElement frame) {
			return this.className.equals(frame.getClassName())
					&& ("*".equals(this.methodName) || this.methodName.equals(frame.getMethodName()));
		}

	}

}
