package io.github.threadlens.census;

import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PoolNamerTests {

	private final ThreadAttribution attribution = new ThreadAttribution();

	@Test
	void exactAttributionWinsOverRulesAndNames() {
		PoolNamer namer = new PoolNamer(this.attribution,
				List.of(new PoolNamingRule(Pattern.compile("orders-.*"), "orders")));
		Thread thread = this.attribution.attributing("checkout", (runnable) -> new Thread(runnable, "orders-1"))
			.newThread(() -> {
			});
		assertThat(namer.poolOf(thread, thread.getName())).isEqualTo("checkout");
	}

	@Test
	void firstMatchingRuleWinsAndExpandsGroups() {
		PoolNamer namer = new PoolNamer(this.attribution,
				List.of(new PoolNamingRule(Pattern.compile("kafka-(\\w+)-\\d+"), "kafka-$1"),
						new PoolNamingRule(Pattern.compile("kafka-.*"), "kafka")));
		assertThat(namer.poolOf(new Thread("kafka-consumer-7"), "kafka-consumer-7")).isEqualTo("kafka-consumer");
		assertThat(namer.poolOf(new Thread("kafka-a-b"), "kafka-a-b")).isEqualTo("kafka");
	}

	@Test
	void rulesMatchWholeNamesOnly() {
		PoolNamer namer = new PoolNamer(this.attribution,
				List.of(new PoolNamingRule(Pattern.compile("exec"), "never")));
		assertThat(namer.poolOf(new Thread("http-nio-8080-exec-1"), "http-nio-8080-exec-1"))
			.isEqualTo("http-nio-8080-exec");
	}

	@Test
	void templateTextOtherThanGroupReferencesIsLiteral() {
		PoolNamingRule rule = new PoolNamingRule(Pattern.compile("a-(\\d+)"), "cost\\$-${x}-$1");
		assertThat(rule.apply("a-5")).isEqualTo("cost\\$-${x}-5");
	}

	@Test
	void referenceToMissingGroupIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PoolNamingRule(Pattern.compile("a-(\\d+)"), "pool-$2"))
			.withMessageContaining("$2");
	}

	@Test
	void rulesAndNormalizerReadABoundedPrefixOfTheName() {
		PoolNamer namer = new PoolNamer(this.attribution, List.of(), 16);
		String name = "orders-" + "x".repeat(100_000) + "-7";
		assertThat(namer.poolOf(new Thread(name), name)).isEqualTo("orders-xxxxxxxxx");
	}

	@Test
	void longNamesThatShareTheirPrefixShareAPool() {
		PoolNamer namer = new PoolNamer(this.attribution, List.of());
		String prefix = "a".repeat(PoolNamer.DEFAULT_MAX_NAME_LENGTH);
		assertThat(namer.poolOf(new Thread(prefix + "-1"), prefix + "-1")).isEqualTo(prefix);
		assertThat(namer.poolOf(new Thread(prefix + "-2"), prefix + "-2")).isEqualTo(prefix);
	}

	@Test
	void anEmptyNameHasAStablePool() {
		PoolNamer namer = new PoolNamer(this.attribution,
				List.of(new PoolNamingRule(Pattern.compile("x?(y?)"), "$1")));
		assertThat(namer.poolOf(new Thread(""), "")).isEqualTo(PoolNamer.UNNAMED);
		assertThat(namer.poolOf(new Thread("x"), "x")).isEqualTo(PoolNamer.UNNAMED);
	}

	@Test
	void controlCharactersAndUnpairedSurrogatesBecomeReplacementCharacters() {
		PoolNamer namer = new PoolNamer(this.attribution, List.of());
		String name = "io\nforged\u0000\u001b[31m\ud800-\udc00x-\ud83d\ude00-3";
		assertThat(namer.poolOf(new Thread(name), name)).isEqualTo("io\ufffdforged\ufffd\ufffd[31m\ufffd-\ufffdx-\ud83d\ude00");
	}

	@Test
	void theCutNeverSplitsASurrogatePair() {
		PoolNamer namer = new PoolNamer(this.attribution, List.of(), 4);
		String name = "abc\ud83d\ude00def";
		assertThat(namer.poolOf(new Thread(name), name)).isEqualTo("abc");
	}

}
