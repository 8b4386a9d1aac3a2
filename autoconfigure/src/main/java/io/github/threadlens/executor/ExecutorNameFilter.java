package io.github.threadlens.executor;

import java.util.List;

import org.springframework.util.PatternMatchUtils;

/**
 * Which executors ThreadLens instruments, by name: included and not excluded, {@code *}
 * matching any run of characters.
 *
 * @param include name patterns to instrument
 * @param exclude name patterns to leave alone, even when included
 */
public record ExecutorNameFilter(List<String> include, List<String> exclude) {

	public ExecutorNameFilter {
		include = List.copyOf(include);
		exclude = List.copyOf(exclude);
	}

	/**
	 * Whether an executor of this name is instrumented.
	 * @param name the executor's (bean) name
	 * @return whether it is included and not excluded
	 */
	public boolean matches(String name) {
		return PatternMatchUtils.simpleMatch(this.include.toArray(String[]::new), name)
				&& !PatternMatchUtils.simpleMatch(this.exclude.toArray(String[]::new), name);
	}

}
