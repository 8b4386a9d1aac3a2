package io.github.threadlens.blocking;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the threads of the JDK's JSON thread dump ({@code threadDump.threadContainers[]}, each
 * container's {@code threads[]}) one at a time, as a stream of tokens: a dump of 10,000
 * virtual threads is megabytes of text, of which only each thread's container, id, name,
 * state and top frames are kept, and only until the next thread is read. A container names
 * itself before listing its threads, as the JDK writes it.
 */
final class DumpedThreads {

	private static final JsonFactory JSON = new JsonFactory();

	private DumpedThreads() {
	}

	/**
	 * Read every thread of a dump.
	 * @param json the dump
	 * @param maxFrames the most top frames kept per thread
	 * @param visitor called once per thread
	 */
	static void read(InputStream json, int maxFrames, Visitor visitor) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw new IllegalStateException("The JDK's thread dump is not a JSON object");
			}
			forEachProperty(parser, (name) -> {
				if (name.equals("threadDump") && parser.currentToken() == JsonToken.START_OBJECT) {
					forEachProperty(parser, (dumpName) -> {
						if (dumpName.equals("threadContainers") && parser.currentToken() == JsonToken.START_ARRAY) {
							while (parser.nextToken() == JsonToken.START_OBJECT) {
								readContainer(parser, maxFrames, visitor);
							}
						}
						else {
							parser.skipChildren();
						}
					});
				}
				else {
					parser.skipChildren();
				}
			});
		}
	}

	private static void readContainer(JsonParser parser, int maxFrames, Visitor visitor) {
		String[] container = { "" };
		forEachProperty(parser, (name) -> {
			if (name.equals("container") && parser.currentToken() == JsonToken.VALUE_STRING) {
				container[0] = parser.getString();
			}
			else if (name.equals("threads") && parser.currentToken() == JsonToken.START_ARRAY) {
				while (parser.nextToken() == JsonToken.START_OBJECT) {
					readThread(parser, container[0], maxFrames, visitor);
				}
			}
			else {
				parser.skipChildren();
			}
		});
	}

	private static void readThread(JsonParser parser, String container, int maxFrames, Visitor visitor) {
		String[] fields = { null, "", null };
		List<StackTraceElement> frames = new ArrayList<>();
		forEachProperty(parser, (name) -> {
			switch (name) {
				case "tid" -> fields[0] = parser.getValueAsString();
				case "name" -> fields[1] = parser.getValueAsString("");
				case "state" -> fields[2] = parser.getValueAsString();
				case "stack" -> readFrames(parser, maxFrames, frames);
				default -> parser.skipChildren();
			}
		});
		if (fields[0] != null) {
			visitor.visit(container, fields[0], fields[1], fields[2], frames.toArray(new StackTraceElement[0]));
		}
	}

	private static void readFrames(JsonParser parser, int maxFrames, List<StackTraceElement> frames) {
		if (parser.currentToken() != JsonToken.START_ARRAY) {
			parser.skipChildren();
			return;
		}
		for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
			if (token == JsonToken.VALUE_STRING && frames.size() < maxFrames) {
				frames.add(DumpedFrame.parse(parser.getString()));
			}
			else {
				parser.skipChildren();
			}
		}
	}

	/**
	 * Call a handler with each property of the object whose start is the current token, the
	 * parser on the property's value; the handler reads the value to its end.
	 */
	private static void forEachProperty(JsonParser parser, PropertyHandler handler) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			parser.nextToken();
			handler.value(name);
		}
	}

	@FunctionalInterface
	private interface PropertyHandler {

		void value(String name);

	}

	/**
	 * Sees each thread of a dump.
	 */
	@FunctionalInterface
	interface Visitor {

		/**
		 * See a thread.
		 * @param container the name of its thread container, {@code <root>} for threads not
		 * started in one
		 * @param tid its id
		 * @param name its name, empty when it has none
		 * @param state its state, {@code null} when the dump does not give it
		 * @param frames its top frames, innermost first
		 */
		void visit(String container, String tid, String name, @Nullable String state, StackTraceElement[] frames);

	}

}
