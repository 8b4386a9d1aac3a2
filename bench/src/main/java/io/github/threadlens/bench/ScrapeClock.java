package io.github.threadlens.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A nanosecond ticker that moves only when a benchmark says a new scrape begins. Prometheus
 * scrapes every 15 s or so, so in production every scrape finds the census older than its
 * one-second maximum age and takes exactly one pass; a JMH loop calls the scrape thousands of
 * times a second, and with the real clock would reuse one snapshot across invocations. This
 * clock makes each invocation one scrape, as in production.
 */
final class ScrapeClock {

	private static final long STEP = Duration.ofSeconds(15).toNanos();

	private final AtomicLong now = new AtomicLong();

	long nanoTime() {
		return this.now.get();
	}

	void nextScrape() {
		this.now.addAndGet(STEP);
	}

}
