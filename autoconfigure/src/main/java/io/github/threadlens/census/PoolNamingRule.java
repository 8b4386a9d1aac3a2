package io.github.threadlens.census;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A user rule mapping thread names to a pool: when the pattern matches the whole thread
 * name, the pool is the name template with {@code $1}..{@code $9} replaced by the
 * pattern's groups. Everything else in the template is literal.
 */
public final class PoolNamingRule {

	private static final Pattern GROUP_REFERENCE = Pattern.compile("\\$(\\d)");

	private final Pattern pattern;

	private final String template;

	/**
	 * Create a rule.
	 * @param pattern the pattern a thread name must match entirely
	 * @param template the pool name template
	 * @throws IllegalArgumentException if the template refers to a group the pattern lacks
	 */
	public PoolNamingRule(Pattern pattern, String template) {
		int groups = pattern.matcher("").groupCount();
		Matcher reference = GROUP_REFERENCE.matcher(template);
		while (reference.find()) {
			int group = Integer.parseInt(reference.group(1));
			if (group > groups) {
				throw new IllegalArgumentException(
						"it refers to group $" + group + " but the pattern has " + groups + " group(s)");
			}
		}
		this.pattern = pattern;
		this.template = template;
	}

	/**
	 * The pool name for a thread name.
	 * @param threadName the thread name
	 * @return the pool name, or {@code null} when the rule does not match
	 */
	public @Nullable String apply(String threadName) {
		Matcher matcher = this.pattern.matcher(threadName);
		if (!matcher.matches()) {
			return null;
		}
		Matcher reference = GROUP_REFERENCE.matcher(this.template);
		StringBuilder pool = new StringBuilder();
		while (reference.find()) {
			String group = matcher.group(Integer.parseInt(reference.group(1)));
			reference.appendReplacement(pool, Matcher.quoteReplacement((group != null) ? group : ""));
		}
		reference.appendTail(pool);
		return pool.toString();
	}

}
