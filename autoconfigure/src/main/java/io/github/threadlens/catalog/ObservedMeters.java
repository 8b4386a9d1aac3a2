package io.github.threadlens.catalog;

import java.util.List;

/**
 * One collector family's contribution to the catalog: the meters it measures, bound to their
 * sources. Each family contributes one bean of this type; every sink publishes all of them.
 *
 * @param family a short name of the family
 * @param jvmWide whether the family measures the whole JVM (threads) rather than what one
 * application context owns (its executors); a JVM-wide family is published once per
 * registry however many contexts share it
 * @param meters the family's meters
 * @param changes when the family's series change other than through its reads
 */
public record ObservedMeters(String family, boolean jvmWide, List<ObservedMeter> meters, MembershipChanges changes) {

	public ObservedMeters {
		meters = List.copyOf(meters);
	}

	/**
	 * A family whose series are discovered by reading them.
	 * @param family a short name of the family
	 * @param jvmWide whether the family measures the whole JVM
	 * @param meters the family's meters
	 */
	public ObservedMeters(String family, boolean jvmWide, List<ObservedMeter> meters) {
		this(family, jvmWide, meters, MembershipChanges.NONE);
	}

}
