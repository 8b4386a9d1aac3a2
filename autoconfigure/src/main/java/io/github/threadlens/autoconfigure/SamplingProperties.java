package io.github.threadlens.autoconfigure;

import java.time.Duration;
import java.util.List;

import io.github.threadlens.blocking.BlockingSampler;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the background sampler that finds why threads wait.
 *
 * @param enabled Whether the blocking sampler runs
 * @param interval Shortest time between two sampler passes; passes come further apart when
 * needed to stay within the CPU budget
 * @param cpuBudget Share of one core the sampler may cost, from 0 (exclusive) to 1: at 0.01 a
 * pass that costs 20 ms (its own CPU time plus the time it stopped the application) is
 * followed by the next 2 s later at the earliest
 * @param maxPause Longest time one stack read may stop the application: stacks are read in
 * slices sized to stay within it
 * @param maxDepth Most stack frames read per thread; deeper frames are neither classified nor
 * counted in the stack depth
 * @param depthBuckets Upper bounds of the stack depth ranges of 'jvm.threads.stack.depth',
 * strictly increasing and below max-depth
 */
@ConfigurationProperties(prefix = "threadlens.sampling", ignoreUnknownFields = false)
public record SamplingProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10s") Duration interval,
		@DefaultValue("0.01") double cpuBudget, @DefaultValue("2ms") Duration maxPause, @DefaultValue("64") int maxDepth,
		@DefaultValue({ "8", "16", "32" }) List<Integer> depthBuckets) {

	public SamplingProperties {
		if (interval.isNegative() || interval.isZero()) {
			throw PropertyBounds.invalid("threadlens.sampling.interval", interval,
					"the sampler needs time between passes", "use a positive duration such as 10s");
		}
		PropertyBounds.requireAtMostMaxDuration("threadlens.sampling.interval", interval);
		if (!(cpuBudget > 0 && cpuBudget <= 1)) {
			throw PropertyBounds.invalid("threadlens.sampling.cpu-budget", cpuBudget,
					"it is a share of one core", "use a number above 0 and at most 1, such as 0.01");
		}
		if (maxPause.isNegative() || maxPause.isZero()) {
			throw PropertyBounds.invalid("threadlens.sampling.max-pause", maxPause,
					"stacks cannot be read without stopping the application at all",
					"use a positive duration such as 2ms");
		}
		PropertyBounds.requireAtMostMaxDuration("threadlens.sampling.max-pause", maxPause);
		if (maxDepth < 1) {
			throw PropertyBounds.invalid("threadlens.sampling.max-depth", maxDepth,
					"the reason is read from the top frames", "use a positive number of frames, such as 64");
		}
		int previous = 0;
		for (Integer bucket : depthBuckets) {
			if (bucket == null) {
				throw PropertyBounds.invalid("threadlens.sampling.depth-buckets", depthBuckets,
						"the list has an empty entry", "list depths separated by single commas, such as 8,16,32");
			}
			if (bucket <= previous || bucket >= maxDepth) {
				throw PropertyBounds.invalid("threadlens.sampling.depth-buckets", depthBuckets,
						"bucket " + bucket + " is not above the one before it and below max-depth " + maxDepth,
						"list strictly increasing positive depths below threadlens.sampling.max-depth");
			}
			previous = bucket;
		}
		depthBuckets = List.copyOf(depthBuckets);
	}

	/**
	 * The sampler's settings.
	 * @return the settings
	 */
	public BlockingSampler.Settings settings() {
		return new BlockingSampler.Settings(this.interval, this.cpuBudget, this.maxPause, this.maxDepth,
				this.depthBuckets);
	}

}
