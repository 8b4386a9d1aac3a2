package io.github.threadlens.blocking;

import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;

/** Every pool published under its own name, as the sampler's published-pools filter. */
final class AllPools extends AbstractSet<String> {

	@Override
	public boolean contains(Object pool) {
		return true;
	}

	@Override
	public Iterator<String> iterator() {
		return Collections.emptyIterator();
	}

	@Override
	public int size() {
		return 0;
	}

}
