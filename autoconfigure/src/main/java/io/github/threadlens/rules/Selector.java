package io.github.threadlens.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Label matchers added to every vector selector of the rules, such as
 * {@code {application="orders"}}, so that the rules only see this application's series.
 * <p>
 * Parsed as PromQL parses label matchers: label names, the four operators, and values in any
 * of PromQL's quotes (double or single quotes with Go's escapes, or back-ticks for raw text).
 * Regular expressions must mean the same to Prometheus's RE2 as they are meant
 * ({@link Re2Syntax}). {@code __name__} is refused: the rules choose the metric.
 *
 * @param matchers the matchers as the rules write them ({@code application="orders"})
 */
public record Selector(List<String> matchers) {

	/** No matcher: the rules see every series of the meters they use. */
	public static final Selector NONE = new Selector(List.of());

	public Selector {
		matchers = List.copyOf(matchers);
	}

	/**
	 * Parse a selector as PromQL writes it, braces included.
	 * @param text the selector, e.g. {@code {application="orders",env!="dev"}}, or blank
	 * @return the selector
	 * @throws IllegalArgumentException if it is not a list of label matchers in braces, or
	 * says something Prometheus would refuse
	 */
	public static Selector parse(String text) {
		if (text == null || text.isBlank()) {
			return NONE;
		}
		String trimmed = text.strip();
		if (!trimmed.startsWith("{") || !trimmed.endsWith("}")) {
			throw new IllegalArgumentException("a selector is label matchers in braces, such as {application=\"orders\"}");
		}
		return new Selector(new Parser(trimmed.substring(1, trimmed.length() - 1)).matchers());
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

	/**
	 * A string as a PromQL double-quoted literal: Go's escapes for quotes, backslashes and
	 * anything not printable, so the literal is one line of plain text.
	 * @param value the string's value
	 * @return the literal, quotes included
	 */
	static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\t' -> quoted.append("\\t");
				default -> {
					if (Character.isISOControl(c) || !Character.isDefined(c) || c == '\u2028' || c == '\u2029'
							|| c == '\uFEFF') {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

	/** Reads {@code name op "value"} matchers separated by commas. */
	private static final class Parser {

		private final String body;

		private int position;

		Parser(String body) {
			this.body = body;
		}

		List<String> matchers() {
			List<String> matchers = new ArrayList<>();
			skipSpace();
			while (this.position < this.body.length()) {
				matchers.add(matcher());
				skipSpace();
				if (this.position < this.body.length()) {
					expect(',');
					skipSpace();
				}
			}
			return matchers;
		}

		private String matcher() {
			int start = this.position;
			while (this.position < this.body.length() && isNameCharacter(this.body.charAt(this.position),
					this.position == start)) {
				this.position++;
			}
			String name = this.body.substring(start, this.position);
			if (name.isEmpty()) {
				throw new IllegalArgumentException(
						"expected a label name at '" + rest() + "' (letters, digits and '_', not starting with a digit)");
			}
			if (name.equals("__name__")) {
				throw new IllegalArgumentException("'__name__' cannot be matched: each rule chooses its own metric");
			}
			skipSpace();
			String operator = operator();
			skipSpace();
			String value = string();
			if (operator.endsWith("~")) {
				Re2Syntax.check(value);
			}
			return name + operator + quote(value);
		}

		private String operator() {
			for (String operator : new String[] { "=~", "!~", "!=", "=" }) {
				if (this.body.startsWith(operator, this.position)) {
					this.position += operator.length();
					return operator;
				}
			}
			throw new IllegalArgumentException("expected one of =, !=, =~, !~ at '" + rest() + "'");
		}

		private String string() {
			if (this.position >= this.body.length()) {
				throw new IllegalArgumentException("expected a quoted value at the end");
			}
			char quote = this.body.charAt(this.position);
			if (quote != '"' && quote != '\'' && quote != '`') {
				throw new IllegalArgumentException(
						"expected a value in double quotes, single quotes or back-ticks at '" + rest() + "'");
			}
			this.position++;
			StringBuilder value = new StringBuilder();
			while (this.position < this.body.length()) {
				char c = this.body.charAt(this.position++);
				if (c == quote) {
					return value.toString();
				}
				if (quote != '`' && (c == '\n' || c == '\r')) {
					throw new IllegalArgumentException("a quoted value cannot span lines");
				}
				if (c == '\\' && quote != '`') {
					value.appendCodePoint(escape(quote));
				}
				else {
					value.append(c);
				}
			}
			throw new IllegalArgumentException("the value is missing its closing " + quote);
		}

		/** Go's escapes, as PromQL's strings have them. */
		private int escape(char quote) {
			if (this.position >= this.body.length()) {
				throw new IllegalArgumentException("the value ends in a lone backslash");
			}
			char c = this.body.charAt(this.position++);
			return switch (c) {
				case 'a' -> 7;
				case 'b' -> '\b';
				case 'f' -> '\f';
				case 'n' -> '\n';
				case 'r' -> '\r';
				case 't' -> '\t';
				case 'v' -> 11;
				case '\\' -> '\\';
				case 'x' -> hex(2);
				case 'u' -> hex(4);
				case 'U' -> hex(8);
				case '0', '1', '2', '3', '4', '5', '6', '7' -> octal(c);
				default -> {
					if (c == quote) {
						yield c;
					}
					throw new IllegalArgumentException("'\\" + c + "' is not an escape PromQL knows; write '\\\\"
							+ c + "' for a backslash (regular expressions: \"\\\\d+\" or `\\d+`)");
				}
			};
		}

		private int hex(int digits) {
			if (this.position + digits > this.body.length()) {
				throw new IllegalArgumentException("an escape needs " + digits + " hexadecimal digits");
			}
			String text = this.body.substring(this.position, this.position + digits);
			if (!text.chars().allMatch((c) -> Character.digit(c, 16) >= 0)) {
				throw new IllegalArgumentException("'" + text + "' is not " + digits + " hexadecimal digits");
			}
			this.position += digits;
			long value = Long.parseLong(text, 16);
			if (value > Character.MAX_CODE_POINT || (value >= Character.MIN_SURROGATE && value <= Character.MAX_SURROGATE)) {
				throw new IllegalArgumentException("'" + text + "' is not a Unicode character");
			}
			return (int) value;
		}

		private int octal(char first) {
			if (this.position + 2 > this.body.length()) {
				throw new IllegalArgumentException("an octal escape needs three digits");
			}
			String text = first + this.body.substring(this.position, this.position + 2);
			if (!text.chars().allMatch((c) -> c >= '0' && c <= '7') || Integer.parseInt(text, 8) > 255) {
				throw new IllegalArgumentException("'\\" + text + "' is not an octal escape");
			}
			this.position += 2;
			return Integer.parseInt(text, 8);
		}

		private void expect(char c) {
			if (this.body.charAt(this.position) != c) {
				throw new IllegalArgumentException("expected '" + c + "' at '" + rest() + "'");
			}
			this.position++;
		}

		private void skipSpace() {
			while (this.position < this.body.length() && Character.isWhitespace(this.body.charAt(this.position))) {
				this.position++;
			}
		}

		private String rest() {
			String rest = this.body.substring(this.position);
			return (rest.length() > 20) ? rest.substring(0, 20) + "..." : rest;
		}

		private static boolean isNameCharacter(char c, boolean first) {
			return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
		}

	}

}
