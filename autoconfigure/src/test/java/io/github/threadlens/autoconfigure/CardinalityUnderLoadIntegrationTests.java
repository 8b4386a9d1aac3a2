package io.github.threadlens.autoconfigure;

import java.net.http.HttpResponse;
import java.util.Set;

import io.github.threadlens.testsupport.RealThreads;
import io.github.threadlens.testsupport.Scrapes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 10,000 extra threads under 2,000 distinct pool names, capped at 50 pools: the scrape stays
 * bounded, folds the rest into {@code other}, and counts what it folded.
 */
// One census snapshot for the whole test, so that every series of a scrape is read from the
// same moment and the per-pool sums can be compared with the totals.
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=prometheus", "threadlens.cardinality.max-pools=50",
				"threadlens.census.max-age=1h" })
class CardinalityUnderLoadIntegrationTests {

	private static final int POOLS = 2_000;

	private static final int THREADS = 10_000;

	private static final RealThreads threads = new RealThreads();

	@LocalServerPort
	private int port;

	@BeforeAll
	static void startThreads() {
		// load<k>x-<i>: the normalizer keeps "load<k>x", so 2,000 pools of 5 threads each.
		threads.start(THREADS, (i) -> "load" + (i % POOLS) + "x-" + i, Thread.State.WAITING);
	}

	@AfterAll
	static void stopThreads() throws Exception {
		threads.close();
	}

	@Test
	void poolValuesStayWithinTheCapAndOverflowIsCounted() throws Exception {
		HttpResponse<String> first = Scrapes.prometheus(this.port);
		assertThat(first.statusCode()).isEqualTo(200);
		// Series follow the published pools from the next scrape on.
		HttpResponse<String> response = Scrapes.prometheus(this.port);
		assertThat(response.statusCode()).isEqualTo(200);
		String scrape = response.body();

		Set<String> pools = Scrapes.labelValues(scrape, "jvm_threads_pool_states_threads", "pool");
		assertThat(pools).hasSizeLessThanOrEqualTo(51).contains("other");
		double overflow = Scrapes.value(scrape, "threadlens_cardinality_overflow_total",
				"meter=\"jvm.threads.pool.states\"");
		assertThat(overflow).isGreaterThanOrEqualTo(POOLS - 50);
		double published = 0;
		for (String pool : pools) {
			published += Scrapes.value(scrape, "jvm_threads_pool_states_threads",
					"pool=\"" + pool + "\",state=\"waiting\"");
		}
		assertThat(published).as("no thread is lost by folding")
			.isEqualTo(Scrapes.value(scrape, "jvm_threads_states_threads", "state=\"waiting\""));
		assertThat(Scrapes.value(scrape, "jvm_threads_live_threads", "")).isGreaterThanOrEqualTo(THREADS);
	}

	@SpringBootApplication
	static class LoadedApplication {

	}

}
