package io.github.threadlens.autoconfigure;

import java.util.Arrays;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Every validated property, started for real: start-up fails and the failure report names
 * the property and says what to change.
 */
@ExtendWith(OutputCaptureExtension.class)
class InvalidPropertiesTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			threadlens.cardinality.max-pools=0                                           | threadlens.cardinality.max-pools  | use a positive number
			threadlens.cardinality.max-pools=-3                                          | threadlens.cardinality.max-pools  | use a positive number
			threadlens.census.max-age=-1s                                                | threadlens.census.max-age         | use a duration of 0 or more
			threadlens.census.pool-states=                                               | threadlens.census.pool-states     | list one or more of
			threadlens.census.pool-states=sleepy                                         | threadlens.census.pool-states     | TIMED_WAITING
			threadlens.pools.rules[0].pattern=([open threadlens.pools.rules[0].name=x    | threadlens.pools.rules[0].pattern | fix the expression
			threadlens.pools.rules[0].name=x                                             | threadlens.pools.rules[0].pattern | give a regular expression
			threadlens.pools.rules[0].pattern=(p) threadlens.pools.rules[0].name=x-$3    | threadlens.pools.rules[0].name    | add a capturing group
			threadlens.pools.rules[0].pattern=(p)                                        | threadlens.pools.rules[0].name    | give the pool name
			threadlens.census.max-age=106751d                                            | threadlens.census.max-age         | at most 1d
			threadlens.sampling.interval=300000d                                         | threadlens.sampling.interval      | at most 1d
			threadlens.leak.window=300000d                                               | threadlens.leak.window            | at most 1d
			threadlens.jfr.threshold=300000d                                             | threadlens.jfr.threshold          | at most 1d
			threadlens.executors.histogram.buckets=1ms,300000d                           | threadlens.executors.histogram.buckets | at most 1d
			threadlens.executors.histogram.buckets=1ms,,5ms                              | threadlens.executors.histogram.buckets | single commas
			threadlens.cardinality.max-pools=2147483647                                  | threadlens.cardinality.max-pools  | at most 10000
			threadlens.cardinality.max-classes=2147483647                                | threadlens.cardinality.max-classes | at most 10000
			threadlens.sampling.depth-buckets=8,,16                                      | threadlens.sampling.depth-buckets | single commas
			threadlens.sampling.cpu-budget=NaN                                           | threadlens.sampling.cpu-budget    | above 0 and at most 1
			threadlens.pools.max-name-length=0                                           | threadlens.pools.max-name-length  | give the number of characters
			threadlens.executors.histogram.buckets=                                      | threadlens.executors.histogram.buckets | list bucket upper bounds
			threadlens.executors.histogram.buckets=10ms,5ms                              | threadlens.executors.histogram.buckets | strictly increasing order
			threadlens.executors.histogram.buckets=0ms,5ms                               | threadlens.executors.histogram.buckets | strictly increasing order
			threadlens.sampling.interval=0s                                              | threadlens.sampling.interval      | use a positive duration
			threadlens.sampling.cpu-budget=0                                             | threadlens.sampling.cpu-budget    | above 0 and at most 1
			threadlens.sampling.cpu-budget=1.5                                           | threadlens.sampling.cpu-budget    | above 0 and at most 1
			threadlens.sampling.max-depth=0                                              | threadlens.sampling.max-depth     | positive number of frames
			threadlens.sampling.depth-buckets=16,8                                       | threadlens.sampling.depth-buckets | strictly increasing
			threadlens.sampling.depth-buckets=8,64                                       | threadlens.sampling.depth-buckets | below threadlens.sampling.max-depth
			threadlens.jfr.threshold=-1ms                                                | threadlens.jfr.threshold          | use a duration of 0 or more
			threadlens.cardinality.max-classes=0                                         | threadlens.cardinality.max-classes | use a positive number, such as 32
			threadlens.cardinality.grace-period=-1s                                      | threadlens.cardinality.grace-period | use a duration of 0 or more
			threadlens.cardinality.grace-period=300000d                                  | threadlens.cardinality.grace-period | at most 1d
			threadlens.leak.window=0s                                                    | threadlens.leak.window            | use a positive duration
			threadlens.leak.min-growth=0                                                 | threadlens.leak.min-growth        | use a positive number of threads
			threadlens.alerts.selector=application="orders"                             | threadlens.alerts.selector        | write label matchers in braces
			threadlens.alerts.selector={application=orders}                              | threadlens.alerts.selector        | write label matchers in braces
			threadlens.alerts.labels.bad-name=x                                          | threadlens.alerts.labels.bad-name | use letters, digits and underscores
			threadlens.alerts.rules.pool-saturated.threshold=1.5                         | threadlens.alerts.rules.pool-saturated.threshold | use a number between 0 and 1
			threadlens.alerts.rules.rejections.threshold=-1                              | threadlens.alerts.rules.rejections.threshold | use zero or a positive number
			threadlens.alerts.rules.queue-wait.for=-1m                                   | threadlens.alerts.rules.queue-wait.for | use a duration such as 5m
			threadlens.alerts.rules.nope.enabled=false                                   | threadlens.alerts.rules.nope      | use one of deadlock, pool-saturated
			threadlens.alerts.rules.deadlock.severity=crit"ical                          | threadlens.alerts.rules.deadlock.severity | without double quotes
			threadlens.alerts.rules.deadlock.annotations.bad-name=x                      | threadlens.alerts.rules.deadlock.annotations.bad-name | use letters, digits and underscores
			threadlens.alerts.selector={a=~"\\d+"}                                       | threadlens.alerts.selector        | write label matchers in braces
			threadlens.alerts.selector={a=~"("}                                          | threadlens.alerts.selector        | write label matchers in braces
			threadlens.alerts.selector={a=~`x(?=y)`}                                     | threadlens.alerts.selector        | RE2
			threadlens.alerts.selector={__name__="foo"}                                  | threadlens.alerts.selector        | each rule chooses its own metric
			threadlens.alerts.labels.__name__=x                                          | threadlens.alerts.labels.__name__ | not starting with a digit or '__'
			threadlens.alerts.labels.team={{$value                                       | threadlens.alerts.labels.team     | fix the {{ }} actions
			threadlens.alerts.rules.deadlock.severity={{end}}                            | threadlens.alerts.rules.deadlock.severity | fix the {{ }} actions
			threadlens.alerts.rules.deadlock.annotations.summary={{.Unclosed             | threadlens.alerts.rules.deadlock.annotations.summary | fix the {{ }} actions
			threadlens.alerts.rules.deadlock.annotations.summary=a\u2028b                 | threadlens.alerts.rules.deadlock.annotations.summary | write the annotation on one line
			threadlens.alerts.rules.deadlock.for=100000000d                              | threadlens.alerts.rules.deadlock.for | at most 365d
			threadlens.alerts.rules.deadlock.for=500us                                   | threadlens.alerts.rules.deadlock.for | whole number of milliseconds
			threadlens.alerts.rules.deadlock.treshold=1                                  | threadlens.alerts.rules.deadlock.treshold | Update your application's configuration
			threadlens.sampling.cpu-buget=0.5                                            | threadlens.sampling.cpu-buget     | Update your application's configuration
			threadlens.alerts.rules.deadlock.runbook-url=javascript:alert(1)             | threadlens.alerts.rules.deadlock.runbook-url | http:// or https:// URL
			threadlens.alerts.operator.labels[example.com/x_]=v                         | threadlens.alerts.operator.labels | Kubernetes label key
			threadlens.alerts.operator.labels.team=-bad                                  | threadlens.alerts.operator.labels.team | Kubernetes label value
			threadlens.alerts.operator.name=Threadlens_Rules                             | threadlens.alerts.operator.name   | use lower-case letters
			threadlens.alerts.naming=otel                                                | threadlens.alerts.naming          | leave it unset to follow the path that exports
			threadlens.alerts.aggregation-labels=job,cluster-name                         | threadlens.alerts.aggregation-labels[1] | use letters, digits and underscores
			threadlens.alerts.aggregation-labels=__name__                                 | threadlens.alerts.aggregation-labels[0] | not starting with a digit or '__'
			threadlens.alerts.aggregation-labels=1cluster                                 | threadlens.alerts.aggregation-labels[0] | not starting with a digit or '__'
			""")
	void startUpFailsNamingThePropertyAndTheFix(String properties, String reported, String fix,
			CapturedOutput output) {
		SpringApplication application = new SpringApplication(CollectorsOnly.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		String[] args = Arrays.stream(properties.split(" ")).map((property) -> "--" + property).toArray(String[]::new);
		assertThatException().isThrownBy(() -> application.run(args).close());
		assertThat(output).contains("APPLICATION FAILED TO START").contains(reported).contains(fix);
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ ThreadLensCensusAutoConfiguration.class, ThreadLensExecutorAutoConfiguration.class,
			ThreadLensBlockingAutoConfiguration.class, ThreadLensRulesAutoConfiguration.class })
	static class CollectorsOnly {

	}

}
