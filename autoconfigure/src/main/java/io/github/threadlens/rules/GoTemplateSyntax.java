package io.github.threadlens.rules;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks the Go template syntax of an alert's label or annotation value the way Prometheus
 * parses it when it loads a rule file, so that a value it would refuse fails start-up instead
 * of making the whole served rule file unloadable.
 * <p>
 * Text outside {@code {{ }}} is free. Inside, what Prometheus's alert templates use is
 * accepted: pipelines of functions, fields, variables and constants, {@code if}, {@code with},
 * {@code range} with {@code else} and {@code end}, variable declarations and comments. The
 * variables are those Prometheus defines ({@code $labels}, {@code $value},
 * {@code $externalLabels}, {@code $externalURL}, {@code $}) and those the template declares
 * in scope; the functions are Go's and Prometheus's. {@code define}, {@code template},
 * {@code block}, {@code break} and {@code continue} are refused: an alert has no use for them.
 */
public final class GoTemplateSyntax {

	private static final Set<String> FUNCTIONS = Set.of("and", "call", "html", "index", "slice", "js", "len", "not",
			"or", "print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne", "args",
			"externalURL", "first", "graphLink", "humanize", "humanize1024", "humanizeDuration",
			"humanizePercentage", "humanizeTimestamp", "label", "match", "pathPrefix", "query", "reReplaceAll",
			"safeHtml", "sortByLabel", "strvalue", "tableLink", "title", "toLower", "toUpper", "value");

	private static final Set<String> PROMETHEUS_VARIABLES = Set.of("$", "$labels", "$value", "$externalLabels",
			"$externalURL");

	private static final Set<String> REFUSED = Set.of("define", "template", "block", "break", "continue");

	private final String text;

	private final Deque<Block> blocks = new ArrayDeque<>();

	private GoTemplateSyntax(String text) {
		this.text = text;
		this.blocks.push(new Block("", new HashSet<>(PROMETHEUS_VARIABLES), false));
	}

	/**
	 * Check a template.
	 * @param text the label or annotation value
	 * @throws IllegalArgumentException if Prometheus would refuse it, saying why
	 */
	public static void check(String text) {
		new GoTemplateSyntax(text).check();
	}

	private void check() {
		int at = this.text.indexOf("{{");
		while (at >= 0) {
			int start = at + 2;
			if (this.text.startsWith("- ", start) || this.text.startsWith("-\t", start)) {
				start += 2;
			}
			if (this.text.startsWith("/*", start)) {
				int close = this.text.indexOf("*/", start + 2);
				int end = (close < 0) ? -1 : closeOf(close + 2);
				if (end < 0) {
					throw new IllegalArgumentException("the comment at '" + excerpt(at) + "' is not closed with */}}");
				}
				at = this.text.indexOf("{{", end);
				continue;
			}
			List<String> tokens = new ArrayList<>();
			int end = tokenize(start, tokens, at);
			action(tokens, at);
			at = this.text.indexOf("{{", end);
		}
		if (this.blocks.size() > 1) {
			throw new IllegalArgumentException("'{{ " + this.blocks.peek().keyword + " }}' has no '{{ end }}'");
		}
	}

	/** Where the action whose content ends at {@code from} closes, with an optional trim marker. */
	private int closeOf(int from) {
		int i = from;
		if (this.text.startsWith(" -}}", i) || this.text.startsWith("\t-}}", i)) {
			return i + 4;
		}
		return this.text.startsWith("}}", i) ? i + 2 : -1;
	}

	private int tokenize(int start, List<String> tokens, int actionStart) {
		int i = start;
		while (i < this.text.length()) {
			char c = this.text.charAt(i);
			if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
				int close = closeOf(i);
				if (close > 0 && this.text.charAt(i + 1) == '-') {
					return close;
				}
				i++;
			}
			else if (c == '}' && this.text.startsWith("}}", i)) {
				return i + 2;
			}
			else if (c == '"' || c == '`' || c == '\'') {
				int end = quoted(i, c, actionStart);
				tokens.add(this.text.substring(i, end));
				i = end;
			}
			else if (c == '|' || c == '(' || c == ')' || c == ',') {
				tokens.add(String.valueOf(c));
				i++;
			}
			else if (c == ':' && this.text.startsWith(":=", i)) {
				tokens.add(":=");
				i += 2;
			}
			else if (c == '=') {
				tokens.add("=");
				i++;
			}
			else if (isWordCharacter(c)) {
				int end = i;
				while (end < this.text.length() && isWordCharacter(this.text.charAt(end))) {
					end++;
				}
				tokens.add(this.text.substring(i, end));
				i = end;
			}
			else {
				throw new IllegalArgumentException("'" + c + "' cannot stand in the action at '" + excerpt(actionStart) + "'");
			}
		}
		throw new IllegalArgumentException("the action at '" + excerpt(actionStart) + "' is not closed with }}");
	}

	private int quoted(int start, char quote, int actionStart) {
		int i = start + 1;
		while (i < this.text.length()) {
			char c = this.text.charAt(i);
			if (c == quote) {
				return i + 1;
			}
			if (quote != '`' && (c == '\n' || c == '\\' && i + 1 < this.text.length()
					&& "abfnrtv\\\"'".indexOf(this.text.charAt(i + 1)) < 0)) {
				throw new IllegalArgumentException("the string at '" + excerpt(actionStart)
						+ "' has a line break or an escape other than \\a \\b \\f \\n \\r \\t \\v \\\\ \\\" \\'");
			}
			i += (c == '\\') ? 2 : 1;
		}
		throw new IllegalArgumentException("the string at '" + excerpt(actionStart) + "' is not closed");
	}

	private void action(List<String> tokens, int at) {
		if (tokens.isEmpty()) {
			throw new IllegalArgumentException("the action at '" + excerpt(at) + "' is empty");
		}
		String first = tokens.get(0);
		if (REFUSED.contains(first)) {
			throw new IllegalArgumentException("'{{ " + first + " }}' has no use in an alert (at '" + excerpt(at) + "')");
		}
		switch (first) {
			case "if", "with", "range" -> {
				Block block = new Block(first, new HashSet<>(this.blocks.peek().variables), false);
				pipeline(tokens.subList(1, tokens.size()), block.variables, at, first.equals("range"));
				this.blocks.push(block);
			}
			case "else" -> {
				if (this.blocks.size() == 1) {
					throw new IllegalArgumentException("'{{ else }}' outside if, with or range at '" + excerpt(at) + "'");
				}
				Block block = this.blocks.pop();
				boolean chained = tokens.size() > 1;
				if (block.finalElse || (chained && !(block.keyword.equals("if") && tokens.get(1).equals("if")))) {
					throw new IllegalArgumentException("a misplaced '{{ else }}' at '" + excerpt(at) + "'");
				}
				Block branch = new Block(block.keyword, new HashSet<>(this.blocks.peek().variables), !chained);
				if (chained) {
					pipeline(tokens.subList(2, tokens.size()), branch.variables, at, false);
				}
				this.blocks.push(branch);
			}
			case "end" -> {
				if (tokens.size() > 1 || this.blocks.size() == 1) {
					throw new IllegalArgumentException("'{{ end }}' without an open if, with or range at '" + excerpt(at) + "'");
				}
				this.blocks.pop();
			}
			default -> pipeline(tokens, this.blocks.peek().variables, at, false);
		}
	}

	/** A pipeline, optionally declaring variables: {@code $x := cmd | cmd}. */
	private void pipeline(List<String> tokens, Set<String> scope, int at, boolean range) {
		List<String> rest = tokens;
		List<String> declared = new ArrayList<>();
		int assignment = Math.max(tokens.indexOf(":="), tokens.indexOf("="));
		if (assignment >= 0) {
			List<String> names = tokens.subList(0, assignment);
			for (int i = 0; i < names.size(); i++) {
				String name = names.get(i);
				boolean comma = i % 2 == 1;
				if (comma ? !name.equals(",") : !name.matches("\\$\\w+")) {
					throw new IllegalArgumentException("a bad variable declaration at '" + excerpt(at) + "'");
				}
				if (!comma) {
					declared.add(name);
				}
			}
			if (declared.size() > (range ? 2 : 1) || (tokens.get(assignment).equals("=")
					&& !declared.stream().allMatch(scope::contains))) {
				throw new IllegalArgumentException("a bad variable declaration at '" + excerpt(at) + "'");
			}
			rest = tokens.subList(assignment + 1, tokens.size());
		}
		if (rest.isEmpty()) {
			throw new IllegalArgumentException("missing value at '" + excerpt(at) + "'");
		}
		int depth = 0;
		boolean commandEmpty = true;
		for (String token : rest) {
			switch (token) {
				case "(" -> {
					depth++;
					commandEmpty = true;
				}
				case ")" -> {
					if (commandEmpty || --depth < 0) {
						throw new IllegalArgumentException("unbalanced or empty parentheses at '" + excerpt(at) + "'");
					}
				}
				case "|" -> {
					if (commandEmpty) {
						throw new IllegalArgumentException("a pipe with nothing before it at '" + excerpt(at) + "'");
					}
					commandEmpty = true;
				}
				default -> {
					operand(token, scope, at);
					commandEmpty = false;
				}
			}
		}
		if (depth != 0 || commandEmpty) {
			throw new IllegalArgumentException("an unfinished pipeline at '" + excerpt(at) + "'");
		}
		scope.addAll(declared);
	}

	private void operand(String token, Set<String> scope, int at) {
		char c = token.charAt(0);
		if (c == '"' || c == '`' || c == '\'' || token.equals("true") || token.equals("false")
				|| token.equals("nil")) {
			return;
		}
		if (token.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|0[xX][0-9a-fA-F]+")) {
			return;
		}
		if (token.matches("\\.|(\\$\\w*)?(\\.[A-Za-z_]\\w*)+|\\$\\w*")) {
			String variable = token.startsWith("$") ? token.split("\\.", 2)[0] : null;
			if (variable != null && !scope.contains(variable)) {
				throw new IllegalArgumentException("undefined variable " + variable + " at '" + excerpt(at) + "'");
			}
			return;
		}
		if (!FUNCTIONS.contains(token)) {
			throw new IllegalArgumentException("'" + token + "' is not a template function at '" + excerpt(at) + "'");
		}
	}

	private String excerpt(int at) {
		String rest = this.text.substring(at);
		return (rest.length() > 30) ? rest.substring(0, 30) + "..." : rest;
	}

	private static boolean isWordCharacter(char c) {
		return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '.' || c == '-' || c == '+';
	}

	/**
	 * An open if, with or range, or the template itself.
	 *
	 * @param keyword what opened it
	 * @param variables the variables in scope
	 * @param finalElse whether its plain {@code else} branch has begun
	 */
	private record Block(String keyword, Set<String> variables, boolean finalElse) {

	}

}
