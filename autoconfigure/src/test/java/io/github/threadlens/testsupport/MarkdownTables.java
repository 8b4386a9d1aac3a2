package io.github.threadlens.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tables of the project's Markdown documentation, for the tests that keep them true
 * to the code.
 */
public final class MarkdownTables {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private MarkdownTables() {
	}

	/**
	 * The body rows of the one table of a file whose header row is the given one.
	 * @param file the Markdown file
	 * @param header the header row as written, e.g. {@code | meter | Prometheus via OpenTelemetry |}
	 * @return each row's cells, trimmed, as many as the header has
	 * @throws IOException if the file cannot be read
	 * @throws IllegalStateException unless exactly one table has that header, or when a row has
	 * another number of cells
	 */
	public static List<List<String>> rows(Path file, String header) throws IOException {
		List<String> lines = Files.readAllLines(file);
		int start = -1;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).strip().equals(header)) {
				if (start >= 0) {
					throw new IllegalStateException(file + " has more than one table headed " + header);
				}
				start = i;
			}
		}
		if (start < 0) {
			throw new IllegalStateException(file + " has no table headed " + header);
		}
		int columns = cells(header).size();
		if (start + 1 >= lines.size() || !lines.get(start + 1).strip().matches("\\|(\\s*:?-+:?\\s*\\|)+")) {
			throw new IllegalStateException("The table headed " + header + " in " + file + " has no separator row");
		}
		List<List<String>> rows = new ArrayList<>();
		for (int i = start + 2; i < lines.size() && lines.get(i).strip().startsWith("|"); i++) {
			List<String> cells = cells(lines.get(i));
			if (cells.size() != columns) {
				throw new IllegalStateException(file + ":" + (i + 1) + " has " + cells.size() + " cells where the header has "
						+ columns + ": " + lines.get(i));
			}
			rows.add(cells);
		}
		return rows;
	}

	/**
	 * The text of a cell that is one code span, such as {@code `jvm.threads.live`}.
	 * @param cell the cell
	 * @return the text inside the backticks
	 * @throws IllegalStateException when the cell is not a single code span
	 */
	public static String code(String cell) {
		Matcher matcher = CODE.matcher(cell);
		if (!matcher.matches()) {
			throw new IllegalStateException("'" + cell + "' is not a single `code` span");
		}
		return matcher.group(1);
	}

	private static List<String> cells(String row) {
		String trimmed = row.strip();
		String inner = trimmed.substring(1, trimmed.endsWith("|") ? trimmed.length() - 1 : trimmed.length());
		List<String> cells = new ArrayList<>();
		for (String cell : inner.split("\\|", -1)) {
			cells.add(cell.strip());
		}
		return cells;
	}

}
