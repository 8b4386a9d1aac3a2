package io.github.threadlens.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * A web application whose thread pools sit in known states, so that every ThreadLens meter
 * has something true to show.
 */
@SpringBootApplication
@EnableAsync
public class DemoApplication {

	/**
	 * A bounded pool, so that the saturation scenario makes its queue build and its
	 * rejections happen.
	 * @return the executor behind the reports scenario
	 */
	@Bean
	ThreadPoolTaskExecutor reportsExecutor() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setCorePoolSize(2);
		executor.setMaxPoolSize(2);
		executor.setQueueCapacity(20);
		executor.setThreadNamePrefix("reports-");
		return executor;
	}

	public static void main(String[] args) {
		SpringApplication.run(DemoApplication.class, args);
	}

}
