package io.github.threadlens.demo;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The pools the demo starts with, each in a known state, so that the first scrape already
 * shows per-pool states worth reading.
 */
@Component
class StartupPools {

	private final ScenarioThreads threads;

	StartupPools(ScenarioThreads threads) {
		this.threads = threads;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		this.threads.start("orders-worker", 4, ScenarioState.WAITING);
		this.threads.start("billing-io", 3, ScenarioState.TIMED_WAITING);
		this.threads.start("inventory-lock", 3, ScenarioState.BLOCKED);
		this.threads.start("reports-io", 2, ScenarioState.RUNNABLE);
	}

}
