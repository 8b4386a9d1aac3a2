package io.github.threadlens.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;

import io.github.threadlens.executor.ExecutorServiceInstrumentation;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.env.Environment;

/**
 * Registers, ahead of time, the JDK proxy that {@link ExecutorServiceInstrumentation} will
 * make around an {@code ExecutorService} bean declared as an interface, and the reflective
 * invocation of the interfaces' methods through which the proxy reaches the bean. The
 * interfaces come from the bean's declaration, as they do at run time, and only for the
 * beans the {@code threadlens.executors} filter selects, read from the environment the
 * application is processed with.
 *
 * @author ThreadLens
 */
final class ExecutorServiceProxyAotProcessor implements BeanRegistrationAotProcessor {

	@Override
	public BeanRegistrationAotContribution processAheadOfTime(RegisteredBean registeredBean) {
		Class<?> declared = ExecutorServiceInstrumentation.declaredType(registeredBean.getMergedBeanDefinition());
		if (declared == null || !declared.isInterface() || !mayBeExecutorService(declared)
				|| !instrumented(registeredBean.getBeanFactory(), registeredBean.getBeanName())) {
			return null;
		}
		Class<?>[] interfaces = ExecutorServiceInstrumentation.proxyInterfaces(declared);
		return (generationContext, code) -> {
			RuntimeHints hints = generationContext.getRuntimeHints();
			hints.proxies().registerJdkProxy(AopProxyUtils.completeJdkProxyInterfaces(interfaces));
			for (Class<?> type : withSuperInterfaces(interfaces)) {
				hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
			}
		};
	}

	/** Whether an instance of the declared type can be an {@code ExecutorService}. */
	private static boolean mayBeExecutorService(Class<?> declared) {
		return ExecutorService.class.isAssignableFrom(declared) || declared.isAssignableFrom(ExecutorService.class);
	}

	private static boolean instrumented(ConfigurableListableBeanFactory beanFactory, String beanName) {
		if (beanFactory.getBeanNamesForType(ExecutorServiceInstrumentation.class, false, false).length == 0) {
			return false;
		}
		return ThreadLensExecutorAutoConfiguration.filter(beanFactory.getBean(Environment.class)).matches(beanName);
	}

	private static Set<Class<?>> withSuperInterfaces(Class<?>[] interfaces) {
		Set<Class<?>> all = new LinkedHashSet<>();
		for (Class<?> type : interfaces) {
			all.add(type);
			all.addAll(withSuperInterfaces(type.getInterfaces()));
		}
		return all;
	}

}
