package io.github.threadlens.demo;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnJava;
import org.springframework.boot.system.JavaVersion;
import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A web application whose thread pools sit in known states, so that every ThreadLens meter
 * has something true to show.
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class DemoApplication {

	/**
	 * A bounded pool, so that the saturation scenario makes its queue build and its
	 * rejections happen, built by Boot's builder as ThreadLens times such executors.
	 * @param builder Boot's builder
	 * @return the executor behind the reports scenario
	 */
	@Bean
	ThreadPoolTaskExecutor reportsExecutor(ThreadPoolTaskExecutorBuilder builder) {
		// Its two threads stay, as a request pool's do: Boot's builder lets idle core threads
		// time out by default, and a pool whose threads all ended leaves the published pools.
		return builder.corePoolSize(2)
			.maxPoolSize(2)
			.queueCapacity(20)
			.allowCoreThreadTimeOut(false)
			.threadNamePrefix("reports-")
			.build();
	}

	/**
	 * A plain bounded pool declared as an {@code ExecutorService}, which ThreadLens times
	 * through an interface proxy: the export scenario saturates it.
	 * @return the executor behind the export scenario
	 */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService exportPool() {
		AtomicInteger threads = new AtomicInteger();
		return new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10),
				(task) -> new Thread(task, "export-" + threads.incrementAndGet()));
	}

	/**
	 * A fork-join pool bean, timed and gauged like any executor service.
	 * @return the executor behind the crunch scenario
	 */
	@Bean(destroyMethod = "shutdownNow")
	ExecutorService crunchPool() {
		return new ForkJoinPool(2);
	}

	/**
	 * One virtual thread per task, where the JDK has them.
	 * @param builder Boot's builder, whose executors ThreadLens times
	 * @return the executor behind the virtual scenario
	 */
	@Bean
	@ConditionalOnJava(JavaVersion.TWENTY_ONE)
	SimpleAsyncTaskExecutor virtualExecutor(SimpleAsyncTaskExecutorBuilder builder) {
		return builder.threadNamePrefix("virtual-").virtualThreads(true).build();
	}

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
