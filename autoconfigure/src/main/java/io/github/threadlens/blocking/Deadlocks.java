package io.github.threadlens.blocking;

import java.util.List;

/**
 * The deadlocks found at one moment.
 *
 * @param deadlocked threads deadlocked on monitors or ownable synchronizers (locks)
 * @param monitorDeadlocked threads deadlocked on object monitors only
 * @param threads every deadlocked thread with the lock it waits for and that lock's owner,
 * which together describe each cycle
 */
public record Deadlocks(int deadlocked, int monitorDeadlocked, List<DeadlockedThread> threads) {

	public Deadlocks {
		threads = List.copyOf(threads);
	}

	/**
	 * One thread of a deadlock cycle.
	 *
	 * @param name the thread's name
	 * @param id the thread's id
	 * @param state its state, BLOCKED or WAITING
	 * @param lock the lock it waits for
	 * @param lockOwner the name of the thread that holds that lock
	 * @param lockOwnerId the id of the thread that holds that lock
	 */
	public record DeadlockedThread(String name, long id, String state, String lock, String lockOwner,
			long lockOwnerId) {

	}

}
