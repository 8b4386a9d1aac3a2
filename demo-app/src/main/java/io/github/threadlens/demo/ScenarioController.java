package io.github.threadlens.demo;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Endpoints that put threads into known states, so a scrape can be checked against what was
 * asked for.
 */
@RestController
@RequestMapping("/scenarios")
class ScenarioController {

	private final ScenarioThreads threads;

	private final ExecutorScenarios executors;

	private final DeadlockScenario deadlock;

	private final LeakScenario leak;

	private final ContentionScenario contention;

	ScenarioController(ScenarioThreads threads, ExecutorScenarios executors, DeadlockScenario deadlock,
			LeakScenario leak, ContentionScenario contention) {
		this.threads = threads;
		this.executors = executors;
		this.deadlock = deadlock;
		this.leak = leak;
		this.contention = contention;
	}

	@PostMapping("/contention")
	Map<String, Object> contention(@RequestParam(defaultValue = "monitor") String kind,
			@RequestParam(defaultValue = "4") int threads, @RequestParam(defaultValue = "50") int millis) {
		return Map.of("pool", ContentionScenario.POOL, "kind", kind, "new",
				this.contention.start(kind, threads, millis));
	}

	@DeleteMapping("/contention")
	Map<String, Object> stopContention() {
		return Map.of("stopped", this.contention.stop());
	}

	@PostMapping("/leak")
	Map<String, Object> leak(@RequestParam(defaultValue = "500") int millis) {
		return Map.of("pool", LeakScenario.POOL, "new", this.leak.start(millis), "millis", millis);
	}

	@DeleteMapping("/leak")
	Map<String, Object> stopLeak() {
		return Map.of("stopped", this.leak.stop());
	}

	@PostMapping("/deadlock")
	ResponseEntity<Map<String, Object>> deadlock(@RequestParam boolean confirm) {
		if (!confirm) {
			throw new IllegalArgumentException("Parameter 'confirm' must be true: a deadlock turns health DOWN");
		}
		return ResponseEntity.ok(Map.of("deadlocked", true, "new", this.deadlock.start()));
	}

	@DeleteMapping("/deadlock")
	Map<String, Object> breakDeadlock() throws InterruptedException {
		return Map.of("broken", this.deadlock.stop());
	}

	@PostMapping("/executors/{executor}")
	Map<String, Object> submit(@PathVariable String executor, @RequestParam int tasks,
			@RequestParam(defaultValue = "100") int millis) {
		return this.executors.submit(executor, tasks, millis);
	}

	@GetMapping
	List<ScenarioThreads.PoolSummary> pools() {
		return this.threads.pools();
	}

	@PostMapping("/threads")
	ScenarioThreads.PoolSummary start(@RequestParam String pool, @RequestParam int count,
			@RequestParam String state) {
		return this.threads.start(pool, count, ScenarioState.parse(state));
	}

	@DeleteMapping(path = "/threads", params = "pool")
	ResponseEntity<Map<String, String>> stop(@RequestParam String pool) {
		if (!this.threads.stop(pool)) {
			return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "No scenario pool '" + pool + "'"));
		}
		return ResponseEntity.ok(Map.of("stopped", pool));
	}

	@DeleteMapping("/threads")
	Map<String, String> stopAll() {
		this.threads.stopAll();
		return Map.of("stopped", "all");
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> badParameter(IllegalArgumentException ex) {
		return ResponseEntity.badRequest().body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(MethodArgumentTypeMismatchException.class)
	ResponseEntity<Map<String, String>> badParameterType(MethodArgumentTypeMismatchException ex) {
		String expected = (ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "a value";
		return ResponseEntity.badRequest()
			.body(Map.of("error", "Parameter '" + ex.getName() + "' must be " + expected + ", was '" + ex.getValue()
					+ "'"));
	}

	@ExceptionHandler(MissingServletRequestParameterException.class)
	ResponseEntity<Map<String, String>> missingParameter(MissingServletRequestParameterException ex) {
		return ResponseEntity.badRequest()
			.body(Map.of("error", "Parameter '" + ex.getParameterName() + "' is required"));
	}

}
