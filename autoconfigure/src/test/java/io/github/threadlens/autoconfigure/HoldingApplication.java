package io.github.threadlens.autoconfigure;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application whose {@code /hold} requests keep their worker until released, to fill
 * a request pool with real HTTP requests. Not scanning: this package holds auto-configurations'
 * nested configurations.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
class HoldingApplication {

	static volatile CountDownLatch entered = new CountDownLatch(0);

	static volatile CountDownLatch release = new CountDownLatch(0);

	/**
	 * Hold the next requests until {@link #release} counts down.
	 * @param holders how many requests {@link #entered} waits for
	 */
	static void hold(int holders) {
		entered = new CountDownLatch(holders);
		release = new CountDownLatch(1);
	}

	@GetMapping("/hold")
	String hold() throws InterruptedException {
		entered.countDown();
		release.await(30, TimeUnit.SECONDS);
		return "released";
	}

}
