package io.github.threadlens.actuate;

import io.github.threadlens.blocking.DeadlockDetector;
import io.github.threadlens.blocking.Deadlocks;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * DOWN while threads are deadlocked: a deadlock never resolves by itself, so the instance
 * should be replaced. The details name every thread of the cycle, the lock it waits for and
 * that lock's owner.
 */
public class DeadlockHealthIndicator extends AbstractHealthIndicator {

	private final DeadlockDetector detector;

	public DeadlockHealthIndicator(DeadlockDetector detector) {
		super("Deadlock health check failed");
		this.detector = detector;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Deadlocks deadlocks = this.detector.current();
		if (deadlocks == null) {
			builder.unknown().withDetail("reason", "deadlock detection is not available in this JVM");
			return;
		}
		if (deadlocks.deadlocked() == 0) {
			builder.up().withDetail("deadlocked", 0);
			return;
		}
		builder.down()
			.withDetail("deadlocked", deadlocks.deadlocked())
			.withDetail("monitorDeadlocked", deadlocks.monitorDeadlocked())
			.withDetail("threads", deadlocks.threads());
	}

}
