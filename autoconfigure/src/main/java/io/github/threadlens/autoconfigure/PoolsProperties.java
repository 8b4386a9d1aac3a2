package io.github.threadlens.autoconfigure;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.github.threadlens.census.PoolNamer;
import io.github.threadlens.census.PoolNamingRule;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How threads are named into pools when no instrumented executor created them.
 *
 * @param rules Rules tried in order before the default normalizer; the first whose pattern
 * matches a thread's whole name gives its pool
 * @param maxNameLength How many characters of a thread's name the rules and the default
 * normalizer read; the rest is ignored, so that naming costs the same and a pool label stays
 * short however long a name is
 */
@ConfigurationProperties(prefix = "threadlens.pools", ignoreUnknownFields = false)
public record PoolsProperties(@DefaultValue List<Rule> rules,
		@DefaultValue("" + PoolNamer.DEFAULT_MAX_NAME_LENGTH) int maxNameLength) {

	public PoolsProperties {
		if (maxNameLength < 1) {
			throw PropertyBounds.invalid("threadlens.pools.max-name-length", maxNameLength,
					"it must be at least 1", "give the number of characters of a thread name to read, e.g. "
							+ PoolNamer.DEFAULT_MAX_NAME_LENGTH);
		}
		rules = List.copyOf(rules);
		for (int i = 0; i < rules.size(); i++) {
			rules.get(i).toNamingRule("threadlens.pools.rules[" + i + "]");
		}
	}

	/**
	 * The rules, compiled.
	 * @return the naming rules in order
	 */
	public List<PoolNamingRule> namingRules() {
		return this.rules.stream().map((rule) -> rule.toNamingRule("threadlens.pools.rules")).toList();
	}

	/**
	 * One naming rule.
	 *
	 * @param pattern Regular expression that must match a thread's whole name
	 * @param name Pool name; {@code $1} to {@code $9} insert the pattern's groups
	 */
	public record Rule(String pattern, String name) {

		PoolNamingRule toNamingRule(String property) {
			if (this.pattern == null || this.pattern.isEmpty()) {
				throw PropertyBounds.invalid(property + ".pattern", this.pattern,
						"a rule needs a pattern", "give a regular expression matching whole thread names");
			}
			if (this.name == null || this.name.isBlank()) {
				throw PropertyBounds.invalid(property + ".name", this.name,
						"a rule needs a pool name", "give the pool name of the threads the pattern matches");
			}
			Pattern compiled;
			try {
				compiled = Pattern.compile(this.pattern);
			}
			catch (PatternSyntaxException ex) {
				throw PropertyBounds.invalid(property + ".pattern", this.pattern,
						"it is not a valid regular expression (" + ex.getDescription() + " near index "
								+ ex.getIndex() + ")",
						"fix the expression; quote it in YAML so that backslashes survive");
			}
			try {
				return new PoolNamingRule(compiled, this.name);
			}
			catch (IllegalArgumentException ex) {
				throw PropertyBounds.invalid(property + ".name", this.name, ex.getMessage(),
						"add a capturing group to the pattern or remove the reference");
			}
		}

	}

}
