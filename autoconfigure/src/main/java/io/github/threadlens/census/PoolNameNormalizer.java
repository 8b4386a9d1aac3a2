package io.github.threadlens.census;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default pool naming: a thread's name without the parts that tell threads of one pool
 * apart. UUIDs are removed wherever they stand. A {@code -thread-N} or {@code -worker-N}
 * suffix that follows the pool's own number or a name ending in {@code Pool} is cut, as the
 * JDK names its pools ({@code pool-3-thread-7} becomes {@code pool-3},
 * {@code ForkJoinPool.commonPool-worker-2} becomes {@code ForkJoinPool.commonPool}).
 * Otherwise trailing numeric or hexadecimal id tokens are cut
 * ({@code http-nio-8080-exec-12} becomes {@code http-nio-8080-exec}, {@code orders-worker-3}
 * becomes {@code orders-worker}).
 */
public final class PoolNameNormalizer {

	private static final Pattern UUID = Pattern
		.compile("[-_.:]?\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

	private static final Pattern MEMBER_SUFFIX = Pattern
		.compile("(.+?(?:\\d|Pool))[-_ .#]+(?i:thread|worker)[-_ #]*\\d+");

	/**
	 * A trailing id token after a separator: digits, or a hexadecimal run of six or more
	 * characters that holds a digit (so words like {@code cafe} survive); or a
	 * parenthesised number. Digits glued to a word ({@code http2}, {@code log4j2}) are part
	 * of the name.
	 */
	private static final Pattern TRAILING_ID = Pattern
		.compile("(?:[-_ .#:]+(?:\\d+|(?=\\p{XDigit}*\\d)\\p{XDigit}{6,})|[-_ .#:]*\\(\\d+\\))$");

	/**
	 * The pool name for a thread name.
	 * @param threadName the thread's name
	 * @return the pool name; the thread name itself when nothing is left after stripping
	 */
	public String normalize(String threadName) {
		String name = UUID.matcher(threadName).replaceAll("");
		Matcher member = MEMBER_SUFFIX.matcher(name);
		if (member.matches()) {
			return member.group(1);
		}
		String stripped = name;
		Matcher id = TRAILING_ID.matcher(stripped);
		while (id.find() && id.start() > 0) {
			stripped = stripped.substring(0, id.start());
			id = TRAILING_ID.matcher(stripped);
		}
		return stripped.isEmpty() ? threadName : stripped;
	}

}
