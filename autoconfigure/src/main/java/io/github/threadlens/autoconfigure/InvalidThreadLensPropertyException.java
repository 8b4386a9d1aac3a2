package io.github.threadlens.autoconfigure;

/**
 * A {@code threadlens.*} property whose value cannot work. Thrown while binding, so that
 * start-up fails with a message naming the property and the fix rather than later with a
 * collector that silently measures nothing.
 */
public class InvalidThreadLensPropertyException extends IllegalArgumentException {

	private final String property;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the full property name, e.g. {@code threadlens.cardinality.max-pools}
	 * @param value the rejected value
	 * @param reason why it was rejected
	 * @param action what to change
	 */
	public InvalidThreadLensPropertyException(String property, Object value, String reason, String action) {
		super("Invalid value '" + value + "' for property '" + property + "': " + reason);
		this.property = property;
		this.action = action;
	}

	/**
	 * The property that holds the bad value.
	 * @return the full property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * What the user should change.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

}
