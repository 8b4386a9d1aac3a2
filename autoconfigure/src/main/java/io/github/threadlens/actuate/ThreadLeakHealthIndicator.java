package io.github.threadlens.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.threadlens.blocking.LeakDetector;
import io.github.threadlens.blocking.ThreadDump;
import io.github.threadlens.blocking.ThreadGrouping;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Names the pools suspected of leaking threads: each pool, its threads, its growth over the
 * window and the stack most of its threads share. A suspected leak does not make the instance
 * unhealthy, since restarting it only postpones the problem: the status stays UP and the
 * {@code ThreadLensThreadLeak} alert is what pages.
 */
public class ThreadLeakHealthIndicator extends AbstractHealthIndicator {

	private static final int STACK_DEPTH = 8;

	private final LeakDetector detector;

	private final ThreadGrouping grouping;

	public ThreadLeakHealthIndicator(LeakDetector detector, ThreadGrouping grouping) {
		super("Thread leak health check failed");
		this.detector = detector;
		this.grouping = grouping;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		List<Map<String, Object>> suspects = this.detector.suspects().stream().map(this::describe).toList();
		builder.up().withDetail("suspected", suspects);
	}

	private Map<String, Object> describe(LeakDetector.Suspect suspect) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("pool", suspect.pool());
		details.put("threads", suspect.threads());
		details.put("growth", suspect.growth());
		details.put("window", suspect.window().toString());
		List<ThreadDump.Group> groups = this.grouping.group(suspect.pool(), null, null, STACK_DEPTH, 1).groups();
		if (!groups.isEmpty()) {
			details.put("commonStack", groups.get(0).frames());
			details.put("threadsWithIt", groups.get(0).count());
		}
		return details;
	}

}
