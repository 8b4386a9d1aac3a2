package io.github.threadlens;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every relative link of the project's Markdown documentation ({@code README.md},
 * {@code docs/*.md}, {@code config-templates/README.md}) points at a file or directory that
 * exists, and a link with a fragment at a heading of the Markdown file it names, as GitHub
 * renders headings into anchors.
 */
class DocsLinksTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

	private static final Pattern CODE_SPAN = Pattern.compile("`[^`\\n]*`");

	private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");

	@Test
	void everyRelativeLinkResolves() throws IOException {
		List<Path> documents = documents();
		assertThat(documents).contains(ROOT.resolve("README.md"), ROOT.resolve("docs/design.md"));
		List<String> broken = new ArrayList<>();
		Map<Path, Set<String>> anchors = new HashMap<>();
		for (Path document : documents) {
			// Code spans hold no links; a link's text may wrap onto the next line.
			String text = CODE_SPAN.matcher(String.join("\n", prose(document))).replaceAll("");
			Matcher link = LINK.matcher(text);
			while (link.find()) {
				String problem = problem(document, link.group(1), anchors);
				if (problem != null) {
					int line = (int) text.substring(0, link.start()).chars().filter((c) -> c == '\n').count() + 1;
					broken.add(ROOT.relativize(document) + ":" + line + " " + link.group(1) + ": " + problem);
				}
			}
		}
		assertThat(broken).as("broken relative links").isEmpty();
	}

	private static List<Path> documents() throws IOException {
		List<Path> documents = new ArrayList<>();
		documents.add(ROOT.resolve("README.md"));
		documents.add(ROOT.resolve("config-templates/README.md"));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(documents::add);
		}
		return documents;
	}

	private static String problem(Path document, String target, Map<Path, Set<String>> anchors) throws IOException {
		if (target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
			// http:, https:, mailto: and the like are not files of this repository.
			return null;
		}
		int hash = target.indexOf('#');
		String file = (hash >= 0) ? target.substring(0, hash) : target;
		String fragment = (hash >= 0) ? target.substring(hash + 1) : null;
		Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
		if (!resolved.startsWith(ROOT)) {
			return "points outside the repository";
		}
		if (!Files.exists(resolved)) {
			return "no such file";
		}
		if (fragment == null) {
			return null;
		}
		if (!resolved.toString().endsWith(".md")) {
			return "a fragment on a file that is not Markdown";
		}
		Set<String> headings = anchors.computeIfAbsent(resolved, DocsLinksTests::headingAnchors);
		return headings.contains(fragment) ? null : "no heading with anchor #" + fragment + " in " + ROOT.relativize(resolved);
	}

	/** The anchors GitHub gives a file's headings, repeated ones suffixed -1, -2, … */
	private static Set<String> headingAnchors(Path file) {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		try {
			for (String line : prose(file)) {
				Matcher heading = HEADING.matcher(line);
				if (heading.matches()) {
					String anchor = heading.group(2)
						.toLowerCase(Locale.ROOT)
						.replaceAll("[^\\p{L}\\p{N} _-]", "")
						.replace(' ', '-');
					int repeats = seen.merge(anchor, 1, Integer::sum) - 1;
					anchors.add((repeats == 0) ? anchor : anchor + "-" + repeats);
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return anchors;
	}

	/** A file's lines outside fenced code blocks, which hold neither links nor headings. */
	private static List<String> prose(Path file) throws IOException {
		List<String> prose = new ArrayList<>();
		boolean fenced = false;
		for (String line : Files.readAllLines(file)) {
			if (line.strip().startsWith("```")) {
				fenced = !fenced;
				prose.add("");
			}
			else {
				prose.add(fenced ? "" : line);
			}
		}
		return prose;
	}

}
