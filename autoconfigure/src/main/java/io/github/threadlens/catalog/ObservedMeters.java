package io.github.threadlens.catalog;

import java.util.List;

/**
 * One collector family's contribution to the catalog: the meters it measures, bound to their
 * sources. Each family contributes one bean of this type; every sink publishes all of them.
 *
 * @param family a short name of the family, for logs
 * @param meters the family's meters
 */
public record ObservedMeters(String family, List<ObservedMeter> meters) {

	public ObservedMeters {
		meters = List.copyOf(meters);
	}

}
