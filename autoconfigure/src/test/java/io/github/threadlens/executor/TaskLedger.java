package io.github.threadlens.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.github.threadlens.testsupport.Awaits;

/**
 * What became of every task a test submitted, counted by the test itself and never read from
 * ThreadLens, so that published outcomes can be checked against it.
 * <p>
 * {@value #SUBMITTERS} submitter threads each submit their share. A task notes, when it runs,
 * whether it ran in its submitter (the caller) or elsewhere (the pool) and whether it failed;
 * a submission the executor threw back is noted by its submitter; a rejection handler of the
 * test's own notes the tasks it is handed; {@code shutdownNow} is noted with the tasks it
 * returned. What was neither run, thrown back nor drained was dropped.
 */
final class TaskLedger {

	static final int SUBMITTERS = 8;

	private static final ThreadLocal<Entry> submitting = new ThreadLocal<>();

	private final LongAdder submitted = new LongAdder();

	private final LongAdder thrownBack = new LongAdder();

	private final LongAdder ranInCaller = new LongAdder();

	private final LongAdder ranElsewhere = new LongAdder();

	private final LongAdder failedElsewhere = new LongAdder();

	private final LongAdder failedAnywhere = new LongAdder();

	private final LongAdder refused = new LongAdder();

	private final LongAdder refusedRanElsewhere = new LongAdder();

	private final LongAdder refusedFailedElsewhere = new LongAdder();

	private long drained;

	/**
	 * Submit {@code perSubmitter} tasks from each submitter thread and wait for the
	 * submissions, not the tasks, to end.
	 * @param perSubmitter tasks per submitter
	 * @param submission how one task is submitted
	 * @throws InterruptedException if interrupted
	 */
	void submitAll(int perSubmitter, Submission submission) throws InterruptedException {
		CountDownLatch start = new CountDownLatch(1);
		List<Throwable> unexpected = new ArrayList<>();
		List<Thread> submitters = new ArrayList<>();
		for (int s = 0; s < SUBMITTERS; s++) {
			Thread thread = new Thread(() -> {
				Awaits.hold(start);
				for (int i = 1; i <= perSubmitter; i++) {
					submitOne(new Entry(i, Thread.currentThread()), submission);
				}
			}, "submitter-" + s);
			thread.setUncaughtExceptionHandler((t, ex) -> {
				synchronized (unexpected) {
					unexpected.add(ex);
				}
			});
			thread.start();
			submitters.add(thread);
		}
		start.countDown();
		for (Thread thread : submitters) {
			thread.join();
		}
		if (!unexpected.isEmpty()) {
			throw new AssertionError("A submitter failed", unexpected.get(0));
		}
	}

	private void submitOne(Entry entry, Submission submission) {
		this.submitted.increment();
		submitting.set(entry);
		try {
			submission.submit(entry);
		}
		catch (RejectedExecutionException ex) {
			this.thrownBack.increment();
		}
		catch (TaskFailure ex) {
			// A failing task run in the caller: noted by the task itself.
		}
		finally {
			submitting.remove();
		}
	}

	/**
	 * Note, from a rejection handler of the test's own, that the task being submitted now was
	 * handed to it. Only for handlers called in the submitting thread, as a pool calls them.
	 */
	void refusing() {
		submitting.get().refused = true;
		this.refused.increment();
	}

	/**
	 * Note the tasks {@code shutdownNow} returned.
	 * @param count how many
	 */
	void drained(int count) {
		this.drained += count;
	}

	long submitted() {
		return this.submitted.sum();
	}

	long failed() {
		return this.failedAnywhere.sum();
	}

	/** @return tasks that ran elsewhere than in their caller: on the pool */
	long ranOnPool() {
		return this.ranElsewhere.sum();
	}

	long dropped() {
		return this.submitted.sum() - this.thrownBack.sum() - this.ranInCaller.sum() - this.ranElsewhere.sum()
				- this.drained;
	}

	/**
	 * The outcomes ThreadLens must publish: a task that ran elsewhere than in its caller and
	 * was never handed to a rejection handler ran on the executor and is timed, completed or
	 * failed; a task thrown back, run in the caller, dropped, or handed to a rejection handler
	 * of the test's own (whatever the handler then did) is rejected; drained tasks are neither.
	 * @return the outcomes
	 */
	Outcomes expected() {
		long runs = this.ranElsewhere.sum() - this.refusedRanElsewhere.sum();
		long failed = this.failedElsewhere.sum() - this.refusedFailedElsewhere.sum();
		long rejected = this.thrownBack.sum() + this.ranInCaller.sum() + dropped() + this.refusedRanElsewhere.sum();
		return new Outcomes(runs, failed, rejected);
	}

	long drained() {
		return this.drained;
	}

	@Override
	public String toString() {
		return "submitted=" + this.submitted + ", thrownBack=" + this.thrownBack + ", ranInCaller=" + this.ranInCaller
				+ ", ranElsewhere=" + this.ranElsewhere + ", failedElsewhere=" + this.failedElsewhere + ", failed="
				+ this.failedAnywhere + ", refused=" + this.refused + ", refusedRanElsewhere="
				+ this.refusedRanElsewhere + ", dropped=" + dropped() + ", drained=" + this.drained;
	}

	/**
	 * A thread factory whose threads do not print the stack of a failing task: a pool's
	 * worker ends with the task's exception, and thousands of them are expected.
	 * @param prefix the threads' name prefix
	 * @return the factory
	 */
	static ThreadFactory quietThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + count.incrementAndGet());
			thread.setUncaughtExceptionHandler((t, ex) -> {
			});
			return thread;
		};
	}

	@FunctionalInterface
	interface Submission {

		void submit(Entry task);

	}

	/**
	 * One task: every hundredth of a submitter's fails. As a {@link Runnable} it fails by
	 * throwing; a method that runs it may fail otherwise (a failed future) by asking
	 * {@link #fails()}.
	 */
	final class Entry implements Runnable {

		private final int index;

		private final Thread submitter;

		private volatile boolean refused;

		private Entry(int index, Thread submitter) {
			this.index = index;
			this.submitter = submitter;
		}

		/** @return the task's number within its submitter's share, from 1 */
		int index() {
			return this.index;
		}

		boolean fails() {
			return this.index % 100 == 0;
		}

		/**
		 * Note that this task runs now, where, and whether it fails.
		 * @return whether it fails
		 */
		boolean ran() {
			boolean fails = fails();
			if (Thread.currentThread() == this.submitter) {
				TaskLedger.this.ranInCaller.increment();
			}
			else {
				TaskLedger.this.ranElsewhere.increment();
				if (this.refused) {
					TaskLedger.this.refusedRanElsewhere.increment();
				}
				if (fails) {
					TaskLedger.this.failedElsewhere.increment();
					if (this.refused) {
						TaskLedger.this.refusedFailedElsewhere.increment();
					}
				}
			}
			if (fails) {
				TaskLedger.this.failedAnywhere.increment();
			}
			return fails;
		}

		@Override
		public void run() {
			if (ran()) {
				throw new TaskFailure();
			}
		}

	}

	/** The failure of a failing task, told apart from any other exception. */
	static final class TaskFailure extends RuntimeException {

		TaskFailure() {
			super("every hundredth task fails", null, false, false);
		}

	}

}
