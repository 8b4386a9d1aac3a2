package io.github.threadlens.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a benchmark's setup measures once, beside the timings JMH writes: the size of an
 * exposition, the number of series. {@code bench/run.sh} sets {@code THREADLENS_BENCH_RESULTS}
 * (the results directory) and {@code THREADLENS_BENCH_LABEL} (the JDK, e.g. {@code jdk17}),
 * which JMH's forks inherit; the setup then writes
 * {@code <results>/<label>-<benchmark>-setup-threads<n>.json}. Every fork of the benchmark
 * writes it again; the last one stays. Without the variables nothing is written.
 */
final class SetupResults {

	private SetupResults() {
	}

	static void write(Class<?> benchmark, int threads, Map<String, Object> values) {
		String directory = System.getenv("THREADLENS_BENCH_RESULTS");
		String label = System.getenv("THREADLENS_BENCH_LABEL");
		if (directory == null || label == null) {
			return;
		}
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("benchmark", benchmark.getName());
		result.put("threads", threads);
		result.put("javaVersion", System.getProperty("java.version"));
		result.putAll(values);
		Json.write(Path.of(directory, label + "-" + benchmark.getSimpleName() + "-setup-threads" + threads + ".json"),
				result);
	}

	/**
	 * The size of a Prometheus text exposition.
	 * @param text the exposition
	 * @param prefixes metric name prefixes whose series are also counted apart
	 * @return its bytes, its series (sample lines) and, per prefix, the series whose name
	 * starts with it
	 */
	static Map<String, Object> exposition(String text, String... prefixes) {
		Map<String, Object> size = new LinkedHashMap<>();
		size.put("bytes", text.getBytes(StandardCharsets.UTF_8).length);
		size.put("series", text.lines().filter((line) -> !line.isEmpty() && !line.startsWith("#")).count());
		Map<String, Object> prefixed = new LinkedHashMap<>();
		for (String prefix : prefixes) {
			prefixed.put(prefix, text.lines().filter((line) -> line.startsWith(prefix)).count());
		}
		size.put("seriesByPrefix", prefixed);
		return size;
	}

}
