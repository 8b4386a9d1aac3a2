package io.github.threadlens.blocking;

import io.github.threadlens.catalog.BlockingReason;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stacks read from a real idle Jetty 12.1 server's pool threads (JDK 17): a worker polling
 * the job queue and a reserved thread waiting for a job are idle, though both park inside a
 * lock's condition or a semaphore.
 */
class ReasonClassifierTests {

	private final ReasonClassifier classifier = new ReasonClassifier();

	@Test
	void jettyWorkerPollingItsQueueIsIdle() {
		assertThat(this.classifier.classify(Thread.State.TIMED_WAITING,
				stack("jdk.internal.misc.Unsafe.park", "java.util.concurrent.locks.LockSupport.parkNanos",
						"java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.awaitNanos",
						"org.eclipse.jetty.util.thread.AutoLock$WithCondition.awaitNanos",
						"org.eclipse.jetty.util.BlockingArrayQueue.poll",
						"org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.idleJobPoll",
						"org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.run", "java.lang.Thread.run")))
			.isEqualTo(BlockingReason.IDLE);
	}

	@Test
	void jettyReservedThreadWaitingForAJobIsIdle() {
		assertThat(this.classifier.classify(Thread.State.TIMED_WAITING,
				stack("jdk.internal.misc.Unsafe.park", "java.util.concurrent.locks.LockSupport.parkNanos",
						"java.util.concurrent.locks.AbstractQueuedSynchronizer.acquire",
						"java.util.concurrent.locks.AbstractQueuedSynchronizer.tryAcquireSharedNanos",
						"java.util.concurrent.Semaphore.tryAcquire",
						"org.eclipse.jetty.util.thread.ReservedThreadExecutor$ReservedThread.waitForTask",
						"org.eclipse.jetty.util.thread.ReservedThreadExecutor$ReservedThread.run",
						"org.eclipse.jetty.util.thread.QueuedThreadPool.runJob",
						"org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.doRunJob",
						"org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.run", "java.lang.Thread.run")))
			.isEqualTo(BlockingReason.IDLE);
	}

	@Test
	void jettyAcceptorAndSelectorWaitOnIo() {
		assertThat(this.classifier.classify(Thread.State.RUNNABLE, stack("sun.nio.ch.Net.accept",
				"sun.nio.ch.ServerSocketChannelImpl.implAccept", "org.eclipse.jetty.server.ServerConnector.accept")))
			.isEqualTo(BlockingReason.IO);
		assertThat(this.classifier.classify(Thread.State.RUNNABLE, stack("sun.nio.ch.EPoll.wait",
				"sun.nio.ch.EPollSelectorImpl.doSelect", "org.eclipse.jetty.io.ManagedSelector.nioSelect")))
			.isEqualTo(BlockingReason.IO);
	}

	@Test
	void aThreadParkedOnALockElsewhereInJettyIsStillLock() {
		assertThat(this.classifier.classify(Thread.State.WAITING,
				stack("jdk.internal.misc.Unsafe.park", "java.util.concurrent.locks.LockSupport.park",
						"java.util.concurrent.locks.ReentrantLock$Sync.lock",
						"org.eclipse.jetty.util.thread.AutoLock.lock",
						"org.eclipse.jetty.util.thread.QueuedThreadPool$Runner.run")))
			.isEqualTo(BlockingReason.LOCK);
	}

	private static StackTraceElement[] stack(String... frames) {
		StackTraceElement[] stack = new StackTraceElement[frames.length];
		for (int i = 0; i < frames.length; i++) {
			int dot = frames[i].lastIndexOf('.');
			stack[i] = new StackTraceElement(frames[i].substring(0, dot), frames[i].substring(dot + 1), null, -1);
		}
		return stack;
	}

}
