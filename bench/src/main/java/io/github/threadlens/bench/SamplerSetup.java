package io.github.threadlens.bench;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.threadlens.autoconfigure.CardinalityProperties;
import io.github.threadlens.autoconfigure.CensusProperties;
import io.github.threadlens.autoconfigure.PoolsProperties;
import io.github.threadlens.autoconfigure.SamplingProperties;
import io.github.threadlens.blocking.BlockingSampler;
import io.github.threadlens.blocking.CollectorFailures;
import io.github.threadlens.blocking.LockSnapshots;
import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.census.ThreadRoster;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The blocking sampler as ThreadLens's auto-configuration builds it: its properties and the
 * census's bound by Spring Boot's {@link Binder}, so that with no properties set they are
 * exactly the documented defaults, and the objects built as
 * {@code ThreadLensCensusAutoConfiguration} and {@code ThreadLensBlockingAutoConfiguration}
 * build them.
 */
final class SamplerSetup {

	final SamplingProperties sampling;

	final CensusProperties census;

	final CardinalityProperties cardinality;

	final PoolsProperties pools;

	/**
	 * Bind the properties.
	 * @param properties {@code threadlens.*} properties that differ from the defaults
	 */
	SamplerSetup(Map<String, String> properties) {
		Binder binder = new Binder(new MapConfigurationPropertySource(properties));
		this.sampling = binder.bindOrCreate("threadlens.sampling", SamplingProperties.class);
		this.census = binder.bindOrCreate("threadlens.census", CensusProperties.class);
		this.cardinality = binder.bindOrCreate("threadlens.cardinality", CardinalityProperties.class);
		this.pools = binder.bindOrCreate("threadlens.pools", PoolsProperties.class);
	}

	/**
	 * A new sampler, not started, with its own census for the published pools.
	 * @param failures where failed passes are counted
	 * @return the sampler
	 */
	BlockingSampler newSampler(CollectorFailures failures) {
		PoolNamer namer = new PoolNamer(new ThreadAttribution(), this.pools.namingRules());
		CappedPoolStates poolStates = new CappedPoolStates(new ThreadCensus(namer, this.census.maxAge()),
				new PoolCap(this.cardinality.maxPools()), this.census.poolStates());
		return new BlockingSampler(ManagementFactory.getThreadMXBean(), new ThreadRoster(namer),
				new LockSnapshots(ManagementFactory.getThreadMXBean(), System::nanoTime),
				() -> poolStates.current().pools(), this.sampling.settings(), System::nanoTime, failures);
	}

	/**
	 * The settings in effect, for a raw result.
	 * @return the settings
	 */
	Map<String, Object> describe() {
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("interval", this.sampling.interval().toString());
		settings.put("intervalNanos", this.sampling.interval().toNanos());
		settings.put("cpuBudget", this.sampling.cpuBudget());
		settings.put("maxPause", this.sampling.maxPause().toString());
		settings.put("maxDepth", this.sampling.maxDepth());
		settings.put("depthBuckets", this.sampling.depthBuckets());
		settings.put("censusMaxAge", this.census.maxAge().toString());
		settings.put("maxPools", this.cardinality.maxPools());
		settings.put("poolStates", this.census.poolStates().stream().map(Enum::name).sorted().toList());
		return settings;
	}

}
