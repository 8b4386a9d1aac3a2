package io.github.threadlens.blocking;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.github.threadlens.catalog.ThreadLensMeters;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.PoolNamingRule;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.testsupport.Awaits;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pool of a JFR event's thread: by id while the thread lives, else by its name.
 */
class PoolsByIdTests {

	private final ThreadAttribution attribution = new ThreadAttribution();

	private final AtomicLong nanoTime = new AtomicLong();

	private final PoolsById pools = new PoolsById(new PoolNamer(this.attribution, List.of()), this.nanoTime::get);

	@Test
	@SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+.
	void aLiveThreadHasThePoolTheCensusGivesItAttributionIncluded() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		Thread thread = new Thread(() -> Awaits.hold(release), "pool-7-thread-1");
		this.attribution.register(thread, "orders");
		thread.setDaemon(true);
		thread.start();
		try {
			assertThat(this.pools.poolOf(thread.getId(), "pool-7-thread-1")).isEqualTo("orders");
		}
		finally {
			release.countDown();
			thread.join();
		}
	}

	@Test
	void aThreadNoLongerLiveIsNamedByItsNameThroughTheSameRules() {
		PoolsById withRule = new PoolsById(new PoolNamer(this.attribution,
				List.of(new PoolNamingRule(Pattern.compile("batch-.*"), "batch"))), this.nanoTime::get);
		assertThat(this.pools.poolOf(Long.MAX_VALUE, "shortlived-worker-17")).isEqualTo("shortlived-worker");
		assertThat(withRule.poolOf(Long.MAX_VALUE, "batch-shortlived-worker-17")).isEqualTo("batch");
		assertThat(this.pools.poolOf(Long.MAX_VALUE, "")).isEqualTo(PoolNamer.UNNAMED);
		assertThat(this.pools.poolOf(Long.MAX_VALUE, null)).isEqualTo(ThreadLensMeters.OTHER);
	}

}
