package io.github.threadlens.blocking;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.threadlens.catalog.ObservedMeter;
import io.github.threadlens.catalog.ObservedMeters;
import io.github.threadlens.catalog.Rows;
import io.github.threadlens.catalog.ThreadLensMeters;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Failures of the collectors that read the JVM (the sampler, contention monitoring, JFR,
 * deadlock detection), and collectors this JVM cannot run at all (no contention monitoring, no
 * {@code jdk.jfr} module): each is counted in {@code threadlens.collector.failures{collector}}
 * and logged once per collector, so that a family missing from the scrape is never silent and
 * a failing collector never fills the log.
 */
public final class CollectorFailures {

	private static final Log logger = LogFactory.getLog(CollectorFailures.class);

	private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

	public CollectorFailures() {
		ThreadLensMeters.COLLECTORS.forEach((collector) -> this.counts.put(collector, new LongAdder()));
	}

	/**
	 * Count a failure, and log it if it is the collector's first.
	 * @param collector one of {@link ThreadLensMeters#COLLECTORS}
	 * @param consequence what the failure means for the scrape, for the log
	 * @param failure what failed
	 */
	public void failed(String collector, String consequence, Throwable failure) {
		if (isFirst(collector)) {
			logger.warn(consequence + " (" + collector + ": " + failure + "); further failures are counted in "
					+ "threadlens.collector.failures without being logged", failure);
		}
	}

	/**
	 * Count a collector this JVM cannot run, and log why if that was not logged before. There
	 * is no stack trace to show: what is missing is a feature of the runtime.
	 * @param collector one of {@link ThreadLensMeters#COLLECTORS}
	 * @param reason what is missing and what it means for the scrape, for the log
	 */
	public void unavailable(String collector, String reason) {
		if (isFirst(collector)) {
			logger.warn(reason + " (" + collector + "); counted in threadlens.collector.failures");
		}
	}

	private boolean isFirst(String collector) {
		LongAdder count = this.counts.get(collector);
		if (count == null) {
			throw new IllegalArgumentException("Unknown collector '" + collector + "'");
		}
		count.increment();
		return count.sum() == 1;
	}

	/**
	 * How often a collector failed.
	 * @param collector the collector
	 * @return the count
	 */
	public long count(String collector) {
		return this.counts.get(collector).sum();
	}

	/**
	 * The failure counter.
	 * @return the family
	 */
	public ObservedMeters meters() {
		return new ObservedMeters("collector-failures", true,
				List.of(new ObservedMeter(ThreadLensMeters.COLLECTOR_FAILURES, () -> {
					Rows.Builder rows = Rows.builder();
					this.counts.forEach((collector, count) -> rows.add(count.sum(), collector));
					return rows.build();
				})));
	}

}
