package io.github.threadlens.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label matchers added to every vector selector of the rules, such as
 * {@code {application="orders"}}, so that the rules only see this application's series.
 *
 * @param matchers the matchers, each as PromQL writes it ({@code application="orders"})
 */
public record Selector(List<String> matchers) {

	private static final String ONE = "([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\\\n\\r]|\\\\[^\\n\\r])*)\"";

	private static final Pattern MATCHER = Pattern.compile(ONE);

	private static final Pattern LIST = Pattern.compile("\\s*(?:" + ONE + "\\s*(?:,\\s*" + ONE + "\\s*)*,?\\s*)?");

	/** No matcher: the rules see every series of the meters they use. */
	public static final Selector NONE = new Selector(List.of());

	public Selector {
		matchers = List.copyOf(matchers);
	}

	/**
	 * Parse a selector as PromQL writes it, braces included.
	 * @param text the selector, e.g. {@code {application="orders",env!="dev"}}, or blank
	 * @return the selector
	 * @throws IllegalArgumentException if it is not a list of label matchers in braces
	 */
	public static Selector parse(String text) {
		if (text == null || text.isBlank()) {
			return NONE;
		}
		String trimmed = text.strip();
		if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
			throw new IllegalArgumentException("a selector is label matchers in braces, such as {application=\"orders\"}");
		}
		String body = trimmed.substring(1, trimmed.length() - 1);
		if (!LIST.matcher(body).matches()) {
			throw new IllegalArgumentException(
					"'" + body + "' is not a list of label matchers such as name=\"value\" (operators =, !=, =~, !~)");
		}
		List<String> matchers = new ArrayList<>();
		Matcher matcher = MATCHER.matcher(body);
		while (matcher.find()) {
			matchers.add(matcher.group(1) + matcher.group(2) + "\"" + matcher.group(3) + "\"");
		}
		return new Selector(matchers);
	}

	/**
	 * A vector selector for a metric with this selector's matchers and its own.
	 * @param metric the metric name
	 * @param own the rule's own matchers, e.g. {@code state="blocked"}
	 * @return the selector, e.g. {@code metric{state="blocked",application="orders"}}
	 */
	public String select(String metric, String... own) {
		List<String> all = new ArrayList<>(List.of(own));
		all.addAll(this.matchers);
		return all.isEmpty() ? metric : metric + "{" + String.join(",", all) + "}";
	}

}
