package io.github.threadlens.census;

import java.util.regex.Pattern;

/**
 * The default pool naming: a thread's name without the parts that tell threads of one pool
 * apart. UUIDs are removed wherever they stand. A {@code -thread-N} or {@code -worker-N}
 * suffix that follows the pool's own number or a name ending in {@code Pool} is cut, as the
 * JDK names its pools ({@code pool-3-thread-7} becomes {@code pool-3},
 * {@code ForkJoinPool.commonPool-worker-2} becomes {@code ForkJoinPool.commonPool}).
 * Otherwise trailing id tokens after a separator are cut: digits, a hexadecimal run of six or
 * more characters that holds a digit (so words like {@code cafe} survive), or a
 * parenthesised number ({@code http-nio-8080-exec-12} becomes {@code http-nio-8080-exec},
 * {@code orders-worker-3} becomes {@code orders-worker}). Digits glued to a word
 * ({@code http2}, {@code log4j2}) are part of the name.
 * <p>
 * Jetty's {@code QueuedThreadPool} names its threads after the pool, by default {@code qtp}
 * and the pool's identity hash, which changes at every start: {@code qtp1905548224-7} is in
 * pool {@code qtp}. An acceptor runs on a pool thread that Jetty renames after the pool
 * thread, the acceptor and its connector
 * ({@code qtp1905548224-19-acceptor-0@67239bdd-oejs.ServerConnector@14485747{HTTP/1.1, (http/1.1)}{0.0.0.0:8080}}):
 * it is in the pool's name followed by {@code -acceptor} ({@code qtp-acceptor}).
 * <p>
 * Suffixes are read backwards from the end of the name, each character at most a few times,
 * so the cost is linear in the name's length whatever the name: a regular expression
 * anchored at the end and retried after each cut would be quadratic on a long run of
 * separators.
 */
public final class PoolNameNormalizer {

	private static final Pattern UUID = Pattern
		.compile("[-_.:]?\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

	private static final String ID_SEPARATORS = "-_ .#:";

	private static final String MEMBER_SEPARATORS = "-_ .#";

	private static final String MEMBER_NUMBER_SEPARATORS = "-_ #";

	/** Jetty's {@code QueuedThreadPool} default name: this and the pool's identity hash. */
	private static final String JETTY_POOL = "qtp";

	/** What Jetty's acceptor adds to its pool thread's name, before its own number. */
	private static final String JETTY_ACCEPTOR = "-acceptor-";

	/**
	 * The pool name for a thread name.
	 * @param threadName the thread's name
	 * @return the pool name; the thread name itself when nothing is left after stripping
	 */
	public String normalize(String threadName) {
		String name = UUID.matcher(threadName).replaceAll("");
		int acceptor = jettyAcceptorStart(name);
		if (acceptor > 0) {
			String pool = normalize(name.substring(0, acceptor));
			return pool + "-acceptor";
		}
		name = withoutJettyPoolHash(name);
		int member = memberSuffixStart(name);
		if (member > 0) {
			return name.substring(0, member);
		}
		int end = name.length();
		for (int start = trailingIdStart(name, end); start > 0; start = trailingIdStart(name, end)) {
			end = start;
		}
		return (end == 0) ? threadName : name.substring(0, end);
	}

	/**
	 * Where the {@code -N-acceptor-I@hash-connector} suffix that Jetty gives an acceptor's
	 * pool thread starts.
	 * @return the suffix's start, or {@code -1} when the name is not an acceptor's
	 */
	private static int jettyAcceptorStart(String name) {
		int keyword = name.indexOf(JETTY_ACCEPTOR);
		if (keyword < 0) {
			return -1;
		}
		int number = keyword + JETTY_ACCEPTOR.length();
		int afterNumber = skipDigitsForward(name, number);
		if (afterNumber == number || afterNumber >= name.length() || name.charAt(afterNumber) != '@') {
			return -1;
		}
		int thread = skipDigitsBackward(name, keyword);
		if (thread == keyword || thread < 2 || name.charAt(thread - 1) != '-') {
			return -1;
		}
		return thread - 1;
	}

	/**
	 * The name with Jetty's default pool name {@code qtp<hash>} at its start cut to
	 * {@code qtp}.
	 */
	private static String withoutJettyPoolHash(String name) {
		if (!name.startsWith(JETTY_POOL)) {
			return name;
		}
		int end = skipDigitsForward(name, JETTY_POOL.length());
		if (end == JETTY_POOL.length() || (end < name.length() && name.charAt(end) != '-')) {
			return name;
		}
		return JETTY_POOL + name.substring(end);
	}

	private static int skipDigitsForward(String name, int start) {
		int i = start;
		while (i < name.length() && isAsciiDigit(name.charAt(i))) {
			i++;
		}
		return i;
	}

	/**
	 * Where a {@code -thread-N} / {@code -worker-N} suffix starts, when it follows a digit or
	 * {@code Pool}.
	 * @return the suffix's start, or {@code -1} when the name has no such suffix
	 */
	private static int memberSuffixStart(String name) {
		int i = skipDigitsBackward(name, name.length());
		if (i == name.length()) {
			return -1;
		}
		i = skipBackward(name, i, MEMBER_NUMBER_SEPARATORS);
		if (i < 6 || !(endsWithWord(name, i, "thread") || endsWithWord(name, i, "worker"))) {
			return -1;
		}
		int keyword = i - 6;
		int start = skipBackward(name, keyword, MEMBER_SEPARATORS);
		if (start == keyword) {
			return -1;
		}
		// The pool's own name: at least one character, then its number or "Pool".
		boolean afterNumber = start >= 2 && isAsciiDigit(name.charAt(start - 1));
		boolean afterPool = start >= 5 && name.startsWith("Pool", start - 4);
		return (afterNumber || afterPool) ? start : -1;
	}

	/**
	 * Where the id token that ends at {@code end}, with the separators before it, starts.
	 * @return the start, or {@code -1} when the text before {@code end} ends in no id token
	 */
	private static int trailingIdStart(String name, int end) {
		if (end == 0) {
			return -1;
		}
		if (name.charAt(end - 1) == ')') {
			int digits = skipDigitsBackward(name, end - 1);
			if (digits == end - 1 || digits == 0 || name.charAt(digits - 1) != '(') {
				return -1;
			}
			return skipBackward(name, digits - 1, ID_SEPARATORS);
		}
		int token = end;
		while (token > 0 && ID_SEPARATORS.indexOf(name.charAt(token - 1)) < 0) {
			token--;
		}
		if (token == 0 || token == end || !isId(name, token, end)) {
			return -1;
		}
		return skipBackward(name, token, ID_SEPARATORS);
	}

	private static boolean isId(String name, int start, int end) {
		boolean digitsOnly = true;
		boolean hexOnly = true;
		boolean anyDigit = false;
		for (int i = start; i < end; i++) {
			char c = name.charAt(i);
			boolean digit = isAsciiDigit(c);
			anyDigit |= digit;
			digitsOnly &= digit;
			hexOnly &= digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		}
		return digitsOnly || (hexOnly && anyDigit && end - start >= 6);
	}

	private static boolean endsWithWord(String name, int end, String lowerCaseWord) {
		for (int i = 0; i < lowerCaseWord.length(); i++) {
			char c = name.charAt(end - lowerCaseWord.length() + i);
			char lower = (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
			if (lower != lowerCaseWord.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static int skipBackward(String name, int end, String characters) {
		int i = end;
		while (i > 0 && characters.indexOf(name.charAt(i - 1)) >= 0) {
			i--;
		}
		return i;
	}

	private static int skipDigitsBackward(String name, int end) {
		int i = end;
		while (i > 0 && isAsciiDigit(name.charAt(i - 1))) {
			i--;
		}
		return i;
	}

	private static boolean isAsciiDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
