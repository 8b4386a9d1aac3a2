package io.github.threadlens.rules;

import java.util.List;

/**
 * A group of rules, evaluated together at the server's evaluation interval.
 *
 * @param name the group name
 * @param rules the rules, in order
 */
public record RuleGroup(String name, List<Rule> rules) {

	public RuleGroup {
		rules = List.copyOf(rules);
	}

}
