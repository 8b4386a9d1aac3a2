package io.github.threadlens.executor;

import java.util.concurrent.ExecutorService;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;

/**
 * Instruments {@link ExecutorService} beans: {@code ThreadPoolExecutor},
 * {@code ScheduledThreadPoolExecutor}, {@code ForkJoinPool} and any other implementation.
 * <p>
 * Every such bean gets what works in place: a pool's rejections counted, its new threads
 * attributed and its gauges published, as
 * {@link ExecutorMonitors#monitor(ExecutorService, String)} describes. Its tasks are timed
 * when the bean can be wrapped without changing its type: when it is declared as an
 * interface ({@code @Bean ExecutorService reports()}), the bean becomes a proxy of that
 * interface (see {@link #proxyInterfaces(Class)}) whose task submissions go through a
 * {@link MonitoredExecutorService} (see {@link SubmissionInterceptor}); a bean that already is a Spring AOP proxy gets the advice
 * added. A bean declared as a JDK class ({@code @Bean ThreadPoolExecutor reports()}) stays
 * the same object, untimed: subclassing {@code java.util.concurrent} classes at run time
 * needs {@code --add-opens}, and an interface proxy would break whoever injects the class.
 */
public final class ExecutorServiceInstrumentation implements BeanPostProcessor, BeanFactoryAware {

	private static final Log logger = LogFactory.getLog(ExecutorServiceInstrumentation.class);

	private final ObjectProvider<ExecutorMonitors> monitors;

	private final ExecutorNameFilter filter;

	private ConfigurableListableBeanFactory beanFactory;

	/**
	 * Create the post-processor.
	 * @param monitors the monitors, resolved lazily so that post-processing does not create
	 * the meter registry early
	 * @param filter which bean names to instrument
	 */
	public ExecutorServiceInstrumentation(ObjectProvider<ExecutorMonitors> monitors, ExecutorNameFilter filter) {
		this.monitors = monitors;
		this.filter = filter;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableListableBeanFactory listable) ? listable : null;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof ExecutorService executor) || bean instanceof MonitoredExecutorService
				|| !this.filter.matches(beanName)) {
			return bean;
		}
		ExecutorService target = (bean instanceof Advised advised) ? targetOf(advised, executor) : executor;
		// Instruments the pool in place whether or not its tasks can be timed.
		MonitoredExecutorService monitored = (MonitoredExecutorService) this.monitors.getObject()
			.monitor(target, beanName);
		if (bean instanceof Advised advised && !advised.isFrozen()) {
			advised.addAdvice(0, new SubmissionInterceptor(monitored));
			return bean;
		}
		Class<?> declared = declaredType(beanName);
		if (declared == null || !declared.isInterface()) {
			logger.info("Executor '" + beanName + "' is declared as " + ((declared != null) ? declared.getName()
					: "an unknown type") + ", which ThreadLens cannot wrap without changing it: its pool gauges, "
					+ "rejections and threads are instrumented, its tasks are not timed. Declare the bean as "
					+ "ExecutorService to have them timed.");
			return bean;
		}
		ProxyFactory proxy = new ProxyFactory(proxyInterfaces(declared));
		proxy.setTarget(bean);
		proxy.addAdvice(new SubmissionInterceptor(monitored));
		return proxy.getProxy(getClass().getClassLoader());
	}

	/**
	 * The interfaces of the proxy made for an {@code ExecutorService} bean declared as the
	 * given interface. They are read from the declaration rather than from the instance, so
	 * that they are known before the bean exists, as a native image's proxy hints must be:
	 * an instance that implements more (a {@code ScheduledThreadPoolExecutor} declared as
	 * {@code ExecutorService}) is reachable through the declared type only.
	 * @param declared the interface the bean is declared as
	 * @return the interfaces the proxy implements, before those Spring AOP adds
	 */
	public static Class<?>[] proxyInterfaces(Class<?> declared) {
		return ExecutorService.class.isAssignableFrom(declared) ? new Class<?>[] { declared }
				: new Class<?>[] { declared, ExecutorService.class };
	}

	/**
	 * The type a bean is declared as: a {@code FactoryBean}'s product for factory beans.
	 * @param definition the bean's merged definition
	 * @return the declared type, or {@code null} when it cannot be resolved
	 */
	public static Class<?> declaredType(BeanDefinition definition) {
		ResolvableType type = definition.getResolvableType();
		ResolvableType product = type.as(FactoryBean.class);
		return (product != ResolvableType.NONE) ? product.getGeneric(0).resolve() : type.resolve();
	}

	private Class<?> declaredType(String beanName) {
		if (this.beanFactory == null) {
			return null;
		}
		try {
			return declaredType(this.beanFactory.getMergedBeanDefinition(beanName));
		}
		catch (NoSuchBeanDefinitionException ex) {
			return null;
		}
	}

	private static ExecutorService targetOf(Advised advised, ExecutorService proxy) {
		try {
			return (advised.getTargetSource().getTarget() instanceof ExecutorService target) ? target : proxy;
		}
		catch (Exception ex) {
			return proxy;
		}
	}

}
