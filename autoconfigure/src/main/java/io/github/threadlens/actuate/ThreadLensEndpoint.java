package io.github.threadlens.actuate;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.github.threadlens.catalog.BlockingReason;
import io.github.threadlens.blocking.ThreadDump;
import io.github.threadlens.blocking.ThreadGrouping;
import io.github.threadlens.blocking.VirtualThreadDump;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/threadlens}: live threads grouped by pool, state, reason and identical top
 * frames, largest groups first, as JSON or as text ({@code Accept: text/plain}). Like Boot's
 * {@code threaddump}, it is not exposed over HTTP unless included.
 * <p>
 * Platform threads only, unless {@code virtual=true} asks for the virtual threads too: they
 * are read from the JDK's thread dump (JDK 21+), whose cost grows with their number, so they
 * are never read unasked. Where there is no such dump the parameter is refused.
 */
@Endpoint(id = "threadlens")
public class ThreadLensEndpoint {

	static final int DEFAULT_DEPTH = 5;

	static final int MAX_DEPTH = 64;

	static final int DEFAULT_LIMIT = 20;

	static final int MAX_LIMIT = 1000;

	private static final Set<String> REASONS = Arrays.stream(BlockingReason.values())
		.map(BlockingReason::tagValue)
		.collect(Collectors.toCollection(TreeSet::new));

	private final ThreadGrouping grouping;

	private final @Nullable VirtualThreadDump virtualThreads;

	/**
	 * Create the endpoint for platform threads only.
	 * @param grouping groups the threads
	 */
	public ThreadLensEndpoint(ThreadGrouping grouping) {
		this(grouping, null);
	}

	/**
	 * Create the endpoint.
	 * @param grouping groups the threads
	 * @param virtualThreads where virtual threads are read when asked for, {@code null} when
	 * this JVM has no such dump
	 */
	public ThreadLensEndpoint(ThreadGrouping grouping, @Nullable VirtualThreadDump virtualThreads) {
		this.grouping = grouping;
		this.virtualThreads = virtualThreads;
	}

	@ReadOperation
	public ThreadDump groups(@Nullable String pool, @Nullable String state, @Nullable String reason,
			@Nullable Integer depth, @Nullable Integer limit, @Nullable String virtual) {
		return this.grouping.group(pool, parseState(state), parseReason(reason),
				bounded("depth", depth, DEFAULT_DEPTH, MAX_DEPTH), bounded("limit", limit, DEFAULT_LIMIT, MAX_LIMIT),
				virtualThreads(virtual));
	}

	@ReadOperation(produces = "text/plain;charset=UTF-8")
	public String text(@Nullable String pool, @Nullable String state, @Nullable String reason,
			@Nullable Integer depth, @Nullable Integer limit, @Nullable String virtual) {
		ThreadDump dump = groups(pool, state, reason, depth, limit, virtual);
		StringBuilder text = new StringBuilder(dump.threads() + " threads in " + dump.groups().size()
				+ " groups, largest first\n");
		for (ThreadDump.Group group : dump.groups()) {
			text.append('\n')
				.append(group.count())
				.append(" x pool=")
				.append(group.pool())
				.append(" state=")
				.append(group.state())
				.append(" reason=")
				.append(group.reason())
				.append(group.virtual() ? " virtual\n" : "\n");
			group.frames().forEach((frame) -> text.append("    at ").append(frame).append('\n'));
			text.append("    e.g. ").append(String.join(", ", group.examples())).append('\n');
		}
		return text.toString();
	}

	private @Nullable VirtualThreadDump virtualThreads(@Nullable String virtual) {
		if (virtual == null || virtual.equalsIgnoreCase("false")) {
			return null;
		}
		if (!virtual.equalsIgnoreCase("true")) {
			throw new InvalidEndpointRequestException("Unknown value '" + virtual + "' of virtual",
					"Parameter 'virtual' must be true or false");
		}
		if (this.virtualThreads == null) {
			throw new InvalidEndpointRequestException("No virtual threads on this JVM",
					"Parameter 'virtual' needs the JDK's thread dump of JDK 21+, read with jackson-core; this JVM runs Java "
							+ Runtime.version().feature());
		}
		return this.virtualThreads;
	}

	private static Thread.@Nullable State parseState(@Nullable String state) {
		if (state == null) {
			return null;
		}
		String normalized = state.trim().toUpperCase(Locale.ROOT).replace('-', '_');
		for (Thread.State candidate : Thread.State.values()) {
			if (candidate.name().equals(normalized)) {
				return candidate;
			}
		}
		throw new InvalidEndpointRequestException("Unknown state '" + state + "'",
				"Parameter 'state' must be one of runnable, blocked, waiting, timed-waiting, new, terminated");
	}

	private static @Nullable String parseReason(@Nullable String reason) {
		if (reason == null || reason.equals("running") || REASONS.contains(reason)) {
			return reason;
		}
		throw new InvalidEndpointRequestException("Unknown reason '" + reason + "'",
				"Parameter 'reason' must be one of running, " + String.join(", ", REASONS));
	}

	private static int bounded(String name, @Nullable Integer value, int fallback, int max) {
		if (value == null) {
			return fallback;
		}
		if (value < 1 || value > max) {
			throw new InvalidEndpointRequestException(name + " out of range",
					"Parameter '" + name + "' must be between 1 and " + max + ", was " + value);
		}
		return value;
	}

}
