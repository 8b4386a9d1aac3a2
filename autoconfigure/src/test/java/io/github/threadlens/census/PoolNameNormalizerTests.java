package io.github.threadlens.census;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PoolNameNormalizerTests {

	private final PoolNameNormalizer normalizer = new PoolNameNormalizer();

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			http-nio-8080-exec-12                          | http-nio-8080-exec
			pool-3-thread-7                                | pool-3
			ForkJoinPool-1-worker-3                        | ForkJoinPool-1
			ForkJoinPool.commonPool-worker-2               | ForkJoinPool.commonPool
			orders-worker-3                                | orders-worker
			task-1                                         | task
			scheduling-1                                   | scheduling
			Thread-42                                      | Thread
			main                                           | main
			Common-Cleaner                                 | Common-Cleaner
			http-nio-8080-Poller                           | http-nio-8080-Poller
			RMI TCP Connection(3)-127.0.0.1                | RMI TCP Connection
			lettuce-nioEventLoop-4-1                       | lettuce-nioEventLoop
			job-3f2b8c1e-9d4a-4b7e-8f00-123456789abc-runner | job-runner
			session-9f86d081884c                           | session
			grpc-default-executor-0                        | grpc-default-executor
			cafe                                           | cafe
			reactor-http2-epoll-3                          | reactor-http2-epoll
			worker17                                       | worker17
			1234                                           | 1234
			qtp1905548224-7                                | qtp
			qtp1905548224                                  | qtp
			qtp1905548224-19-acceptor-0@67239bdd-oejs.ServerConnector@14485747{HTTP/1.1}{0.0.0.0:8080} | qtp-acceptor
			jetty-8080-22-acceptor-1@7305b3f5-oejs.ServerConnector@4d174189{HTTP/1.1}{0.0.0.0:8080} | jetty-acceptor
			qtpx-3                                         | qtpx
			qtp12a-3                                       | qtp12a
			orders-acceptor-queue                          | orders-acceptor-queue
			""")
	void normalizesThreadNamesToPoolNames(String threadName, String pool) {
		assertThat(this.normalizer.normalize(threadName)).isEqualTo(pool);
	}

	@Test
	void longRunsOfSeparatorsAreNamedLikeShortOnes() {
		assertThat(this.normalizer.normalize("a" + "-".repeat(40_000) + "x")).hasSize(40_002);
		assertThat(this.normalizer.normalize("a" + "-".repeat(40_000) + "7")).isEqualTo("a");
		assertThat(this.normalizer.normalize("a" + "-1".repeat(20_000))).isEqualTo("a");
		assertThat(this.normalizer.normalize("pool-1" + "-".repeat(40_000) + "thread-2")).isEqualTo("pool-1");
	}

}
