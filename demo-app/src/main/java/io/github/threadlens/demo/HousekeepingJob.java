package io.github.threadlens.demo;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * A periodic job on Boot's {@code taskScheduler}, so that the scrape shows {@code @Scheduled}
 * runs timed, with their lateness as queue wait.
 */
@Component
class HousekeepingJob {

	@Scheduled(fixedRate = 5_000)
	void sweep() {
		ExecutorScenarios.sleep(5);
	}

}
