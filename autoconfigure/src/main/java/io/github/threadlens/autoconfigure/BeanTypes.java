package io.github.threadlens.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Whether a context holds a bean of a type named as a string: the type may be missing from
 * the class path (an optional dependency), which then means no such bean.
 */
final class BeanTypes {

	private BeanTypes() {
	}

	static boolean hasBean(ListableBeanFactory beans, String type) {
		ClassLoader classLoader = BeanTypes.class.getClassLoader();
		return ClassUtils.isPresent(type, classLoader)
				&& beans.getBeanNamesForType(ClassUtils.resolveClassName(type, classLoader), true, false).length > 0;
	}

}
