package io.github.threadlens.actuate;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;

import io.github.threadlens.blocking.ThreadDump;
import io.github.threadlens.blocking.ThreadGrouping;
import io.github.threadlens.cardinality.CappedPoolStates;
import io.github.threadlens.cardinality.PoolCap;
import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.ThreadAttribution;
import io.github.threadlens.census.ThreadCensus;
import io.github.threadlens.census.ThreadRoster;
import io.github.threadlens.export.micrometer.ObservedMeterBinder;
import io.github.threadlens.testsupport.Promtool;
import io.github.threadlens.testsupport.RealThreads;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated thread names, of any characters and up to 100,000 of them, on a real thread:
 * the pool label stays short and printable and the scrape passes {@code promtool check
 * metrics}; the text dump has no control characters and one group line per group; the JSON
 * dump is valid UTF-8 that a strict parser reads.
 */
class HostileThreadNamesTests {

	private static final int GROUPS = 1_000;

	private final PoolNamer namer = new PoolNamer(new ThreadAttribution(), List.of());

	private final ThreadCensus census = new ThreadCensus(this.namer, Duration.ZERO);

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	private final ObservedMeterBinder binder = new ObservedMeterBinder(List.of(new CappedPoolStates(this.census,
			new PoolCap(64), EnumSet.of(Thread.State.RUNNABLE, Thread.State.BLOCKED, Thread.State.WAITING,
					Thread.State.TIMED_WAITING))
		.meters()));

	private final ThreadLensEndpoint endpoint = new ThreadLensEndpoint(
			new ThreadGrouping(ManagementFactory.getThreadMXBean(), new ThreadRoster(this.namer)));

	private final ObjectMapper json = new ObjectMapper();

	HostileThreadNamesTests() {
		this.binder.bindTo(this.registry);
	}

	@AfterProperty
	void close() throws Exception {
		this.binder.close();
		this.registry.close();
	}

	@Property(tries = 40)
	void everyNameIsPublishedAsAShortPrintableLabelThatPrometheusParses(@ForAll("threadNames") String name)
			throws Exception {
		try (RealThreads threads = new RealThreads()) {
			threads.start(1, (i) -> name, Thread.State.WAITING);
			assertThat(this.census.snapshot().pools()).allSatisfy((pool) -> assertThat(pool).isNotEmpty()
				.hasSizeLessThanOrEqualTo(PoolNamer.DEFAULT_MAX_NAME_LENGTH)
				.doesNotContain("\n"));
			Promtool.Result check = Promtool.checkMetrics(this.registry.scrape());
			assertThat(check.exitCode()).as(check.output()).isZero();
		}
	}

	@Property(tries = 40)
	void everyNameLeavesTheDumpReadableAsTextAndAsStrictJson(@ForAll("threadNames") String name) throws Exception {
		try (RealThreads threads = new RealThreads()) {
			threads.start(1, (i) -> name, Thread.State.WAITING);
			// The text and the JSON are two reads of the threads: each is checked against itself.
			String text = this.endpoint.text(null, null, null, null, GROUPS, null);
			assertThat(text.chars()).noneMatch((c) -> c != '\n' && Character.isISOControl(c));
			String heading = text.lines().findFirst().orElseThrow();
			int groups = Integer.parseInt(heading.replaceAll(".* in (\\d+) groups.*", "$1"));
			assertThat(text.lines().filter((line) -> line.matches("\\d+ x pool=.*"))).hasSize(groups);
			assertThat(text.lines().filter((line) -> line.startsWith("    e.g. "))).hasSize(groups);
			ThreadDump dump = this.endpoint.groups(null, null, null, null, GROUPS, null);
			byte[] bytes = this.json.writeValueAsBytes(dump);
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
			assertThat(this.json.readTree(bytes).get("threads").asInt()).isEqualTo(dump.threads());
		}
	}

	@Provide
	Arbitrary<String> threadNames() {
		return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(200),
				Arbitraries.strings().all().ofMinLength(90_000).ofMaxLength(100_000),
				Arbitraries.strings().withChars("-_ .#:()0123456789abcdefPoolthreadworker\n\r\t\u0000\u001b\u0085\u2028\u2029\ud800\udc00")
					.ofMaxLength(100_000));
	}

}
