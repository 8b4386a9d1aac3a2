package io.github.threadlens.blocking;

/**
 * A frame of the JDK's JSON thread dump, written as {@link StackTraceElement#toString()}
 * writes one ({@code java.base/java.lang.Thread.sleep(Thread.java:509)}), read back without
 * its class loader and module, which {@link ThreadGrouping} does not show.
 */
final class DumpedFrame {

	private static final String NATIVE = "Native Method";

	private DumpedFrame() {
	}

	static StackTraceElement parse(String text) {
		int open = text.indexOf('(');
		String qualified = (open >= 0) ? text.substring(0, open) : text;
		qualified = qualified.substring(qualified.lastIndexOf('/') + 1);
		int dot = qualified.lastIndexOf('.');
		String className = (dot >= 0) ? qualified.substring(0, dot) : "";
		String methodName = qualified.substring(dot + 1);
		if (open < 0) {
			return new StackTraceElement(className, methodName, null, -1);
		}
		int close = text.endsWith(")") ? text.length() - 1 : text.length();
		String location = text.substring(open + 1, Math.max(open + 1, close));
		if (location.equals(NATIVE)) {
			// The line number StackTraceElement gives a native method.
			return new StackTraceElement(className, methodName, null, -2);
		}
		int colon = location.lastIndexOf(':');
		if (colon > 0) {
			try {
				return new StackTraceElement(className, methodName, location.substring(0, colon),
						Integer.parseInt(location.substring(colon + 1)));
			}
			catch (NumberFormatException ex) {
				// A file name with a colon in it, and no line.
			}
		}
		return new StackTraceElement(className, methodName,
				(location.isEmpty() || location.equals("Unknown Source")) ? null : location, -1);
	}

}
