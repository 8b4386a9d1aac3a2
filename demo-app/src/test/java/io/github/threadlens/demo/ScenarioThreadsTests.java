package io.github.threadlens.demo;

import java.lang.management.ManagementFactory;

import com.sun.management.UnixOperatingSystemMXBean;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario threads give back what they take: RUNNABLE threads hold two socket descriptors
 * each (both ends of a silent connection), and stopping them closes both.
 */
class ScenarioThreadsTests {

	private static final int THREADS = 300;

	@Test
	void runnableThreadsReleaseBothEndsOfTheirConnections() throws Exception {
		UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		ScenarioThreads scenarios = new ScenarioThreads();
		try {
			scenarios.start("fd-warm-up", 1, ScenarioState.RUNNABLE);
			scenarios.stop("fd-warm-up");
			long before = os.getOpenFileDescriptorCount();
			for (int cycle = 0; cycle < 3; cycle++) {
				ScenarioThreads.PoolSummary started = scenarios.start("fd-cycle", THREADS, ScenarioState.RUNNABLE);
				assertThat(started.threads()).isEqualTo(THREADS);
				// Two per thread, give or take descriptors the JVM opens and closes meanwhile.
				assertThat(os.getOpenFileDescriptorCount()).isGreaterThan(before + THREADS);
				scenarios.stop("fd-cycle");
			}
			// Well below the 600 a cycle would leave behind if either end were kept.
			assertThat(os.getOpenFileDescriptorCount()).isLessThan(before + THREADS / 10);
		}
		finally {
			scenarios.destroy();
		}
	}

}
