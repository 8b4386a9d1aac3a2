package io.github.threadlens.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for the raw results the benchmarks write beside JMH's own: maps (in their
 * iteration order), lists, strings, numbers, booleans and {@code null}.
 */
final class Json {

	private Json() {
	}

	static void write(Path file, Object value) {
		StringBuilder out = new StringBuilder();
		append(out, value, "");
		out.append('\n');
		try {
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(file, out, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void append(StringBuilder out, Object value, String indent) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof String string) {
			appendString(out, string);
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else if (value instanceof Map<?, ?> map) {
			appendEntries(out, map.entrySet().iterator(), '{', '}', indent, true);
		}
		else if (value instanceof List<?> list) {
			appendEntries(out, list.iterator(), '[', ']', indent, false);
		}
		else {
			appendString(out, value.toString());
		}
	}

	private static void appendEntries(StringBuilder out, Iterator<?> entries, char open, char close, String indent,
			boolean keyed) {
		out.append(open);
		String inner = indent + "  ";
		boolean first = true;
		while (entries.hasNext()) {
			Object entry = entries.next();
			out.append(first ? "\n" : ",\n").append(inner);
			first = false;
			if (keyed) {
				Map.Entry<?, ?> keyValue = (Map.Entry<?, ?>) entry;
				appendString(out, String.valueOf(keyValue.getKey()));
				out.append(": ");
				append(out, keyValue.getValue(), inner);
			}
			else {
				append(out, entry, inner);
			}
		}
		if (!first) {
			out.append('\n').append(indent);
		}
		out.append(close);
	}

	private static void appendString(StringBuilder out, String string) {
		out.append('"');
		for (int i = 0; i < string.length(); i++) {
			char c = string.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

}
