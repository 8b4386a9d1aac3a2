package io.github.threadlens.rules;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks that a regular expression means the same to Prometheus, which compiles it with Go's
 * RE2, as it does to Java. Only the syntax the two share is accepted: literals, escaped
 * punctuation, {@code . ^ $ | * + ? {n,m}} with lazy {@code ?}, groups {@code (...)} and
 * {@code (?:...)}, the flags {@code i m s}, character classes with ranges and negation, and
 * the escapes {@code \d \D \s \S \w \W \b \B \A \z \t \n \r \f \xHH \x{H...}}, and
 * Unicode general categories ({@code \pL}, {@code \p{Lu}}). Back-references, look-around, possessive quantifiers, atomic and named groups,
 * class intersections and nested classes, which RE2 lacks or reads differently, are refused.
 */
final class Re2Syntax {

	// Not \v: a vertical tab to RE2, any vertical whitespace to Java.
	private static final String SHARED_ESCAPES = "dDsSwWbBAztnrf";

	private static final String CLASS_ESCAPES = "dDsSwWtnrf";

	/** The Unicode general categories, which both name alike. */
	private static final Pattern CATEGORY = Pattern.compile("[LMNPSZ][a-z]?|C[cfos]?");

	private static final Pattern FLAGS = Pattern.compile("[ims]*(-[ims]+)?");

	private Re2Syntax() {
	}

	/**
	 * Check a regular expression.
	 * @param regex the expression
	 * @throws IllegalArgumentException if it is not valid, or not in the syntax both share
	 */
	static void check(String regex) {
		try {
			Pattern.compile(regex);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException(
					"'" + regex + "' is not a valid regular expression (" + ex.getDescription() + ")");
		}
		int i = 0;
		while (i < regex.length()) {
			char c = regex.charAt(i);
			if (c == '\\') {
				i = escape(regex, i, SHARED_ESCAPES);
			}
			else if (c == '[') {
				i = characterClass(regex, i);
			}
			else if (c == '(') {
				i = group(regex, i);
			}
			else if ((c == '*' || c == '+' || c == '?' || c == '}') && i + 1 < regex.length()
					&& regex.charAt(i + 1) == '+') {
				throw refused(regex, "possessive quantifiers such as '" + c + "+'");
			}
			else {
				i++;
			}
		}
	}

	private static int escape(String regex, int at, String letters) {
		char c = regex.charAt(at + 1);
		if (letters.indexOf(c) >= 0) {
			return at + 2;
		}
		if (c == 'x') {
			boolean braced = at + 2 < regex.length() && regex.charAt(at + 2) == '{';
			return braced ? regex.indexOf('}', at + 3) + 1 : at + 4;
		}
		if (c == 'p' || c == 'P') {
			boolean braced = at + 2 < regex.length() && regex.charAt(at + 2) == '{';
			int end = braced ? regex.indexOf('}', at + 3) : at + 3;
			String name = braced ? regex.substring(at + 3, end) : regex.substring(at + 2, end);
			if (!CATEGORY.matcher(name).matches()) {
				throw refused(regex, "the property class '" + regex.substring(at, braced ? end + 1 : end)
						+ "' (only Unicode general categories such as \\pL or \\p{Lu})");
			}
			return braced ? end + 1 : end;
		}
		if (!Character.isLetterOrDigit(c) && c < 0x80) {
			return at + 2;
		}
		throw refused(regex, "the escape '\\" + c + "'");
	}

	private static int characterClass(String regex, int at) {
		int i = at + 1;
		if (i < regex.length() && regex.charAt(i) == '^') {
			i++;
		}
		if (i < regex.length() && regex.charAt(i) == ']') {
			i++;
		}
		while (regex.charAt(i) != ']') {
			char c = regex.charAt(i);
			if (c == '\\') {
				i = escape(regex, i, CLASS_ESCAPES);
			}
			else if (c == '[' || (c == '&' && regex.charAt(i + 1) == '&')) {
				throw refused(regex, "'" + c + "' inside a character class (escape it)");
			}
			else {
				i++;
			}
		}
		return i + 1;
	}

	private static int group(String regex, int at) {
		if (at + 1 >= regex.length() || regex.charAt(at + 1) != '?') {
			return at + 1;
		}
		int i = at + 2;
		while (i < regex.length() && "ims-".indexOf(regex.charAt(i)) >= 0) {
			i++;
		}
		String flags = regex.substring(at + 2, i);
		char end = (i < regex.length()) ? regex.charAt(i) : ' ';
		boolean nonCapturing = end == ':' && FLAGS.matcher(flags).matches();
		boolean setsFlags = end == ')' && !flags.isEmpty() && FLAGS.matcher(flags).matches();
		if (nonCapturing || setsFlags) {
			return i + 1;
		}
		throw refused(regex, "the group '" + regex.substring(at, Math.min(i + 1, regex.length()))
				+ "' (look-around, atomic and named groups, and flags other than i, m, s)");
	}

	private static IllegalArgumentException refused(String regex, String what) {
		return new IllegalArgumentException("'" + regex + "' uses " + what
				+ ", which Prometheus's regular expressions (RE2) lack or read differently");
	}

}
