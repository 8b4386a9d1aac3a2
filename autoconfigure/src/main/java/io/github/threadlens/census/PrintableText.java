package io.github.threadlens.census;

/**
 * Text the JVM hands out (thread names, frames) made safe to publish: cut to a maximum
 * length without splitting a surrogate pair, with control characters, Unicode's line and
 * paragraph separators (U+2028, U+2029) and unpaired surrogates replaced by U+FFFD. The result
 * is one line of valid UTF-8, so it cannot forge lines of a text dump, garble a terminal, or
 * make JSON or a Prometheus label unreadable.
 */
public final class PrintableText {

	private static final char REPLACEMENT = '\uFFFD';

	private PrintableText() {
	}

	/**
	 * The printable form of a text, in time linear in {@code maxLength} at most.
	 * @param text the text
	 * @param maxLength how many characters to keep at most, at least 1
	 * @return the text itself when it is short and printable, else its printable prefix
	 */
	public static String of(String text, int maxLength) {
		int length = Math.min(text.length(), maxLength);
		if (length < text.length() && length > 0 && Character.isHighSurrogate(text.charAt(length - 1))
				&& Character.isLowSurrogate(text.charAt(length))) {
			// Cut before the pair rather than through it.
			length--;
		}
		StringBuilder clean = null;
		for (int i = 0; i < length; i++) {
			char c = text.charAt(i);
			boolean printable = isPrintable(text, i, length);
			if (!printable && clean == null) {
				clean = new StringBuilder(length).append(text, 0, i);
			}
			if (clean != null) {
				clean.append(printable ? c : REPLACEMENT);
			}
		}
		if (clean != null) {
			return clean.toString();
		}
		return (length == text.length()) ? text : text.substring(0, length);
	}

	/**
	 * Whether a text is printable as it is, whatever its length: {@link #of} would replace
	 * none of its characters.
	 * @param text the text
	 * @return whether it is one line of valid UTF-8
	 */
	public static boolean isPrintable(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (!isPrintable(text, i, text.length())) {
				return false;
			}
		}
		return true;
	}

	private static boolean isPrintable(String text, int i, int length) {
		char c = text.charAt(i);
		if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
			// Editors, browsers and regular expressions break lines at U+2028 and U+2029 too.
			return false;
		}
		if (Character.isHighSurrogate(c)) {
			return i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1));
		}
		if (Character.isLowSurrogate(c)) {
			return i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
		}
		return true;
	}

}
