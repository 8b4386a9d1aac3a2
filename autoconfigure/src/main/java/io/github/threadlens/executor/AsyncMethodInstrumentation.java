package io.github.threadlens.executor;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.Advisor;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;

/**
 * Counts the failures of {@code @Async} methods, which Spring keeps from the task it hands the
 * executor: a void method's exception goes to the {@code AsyncUncaughtExceptionHandler} and a
 * {@code CompletableFuture} method's completes the returned future, inside a task that then
 * ends normally. (A method returning another {@code Future} fails its task, which the
 * executor's wrapper sees anyway.)
 * <p>
 * On every proxy that Spring's {@link AsyncAnnotationAdvisor} advises, two advisors with its
 * pointcut go around it, through the proxy's public {@link Advised} configuration: outside, in
 * the calling thread, one that makes the invocation's {@link AsyncMethodCall}, current while
 * Spring submits the invocation, so that the task the executor wraps claims it; inside, in the
 * thread that runs the method, one that notes whether the method failed, finding the call
 * among the invocation's user attributes. The task then counts as failed exactly when Spring
 * hands a failure to the exception handler or to the future. This post-processor must run
 * after Spring's {@code AsyncAnnotationBeanPostProcessor}, as one that is not ordered does.
 */
public final class AsyncMethodInstrumentation implements BeanPostProcessor {

	private static final String CALL = AsyncMethodCall.class.getName();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof Advised advised) || advised.isFrozen()) {
			return bean;
		}
		Advisor[] advisors = advised.getAdvisors();
		for (int i = 0; i < advisors.length; i++) {
			if (advisors[i] instanceof AsyncAnnotationAdvisor async) {
				advised.addAdvisor(i + 1, new DefaultPointcutAdvisor(async.getPointcut(), new Running()));
				advised.addAdvisor(i, new DefaultPointcutAdvisor(async.getPointcut(), new Submitting()));
				return bean;
			}
		}
		return bean;
	}

	/** In the calling thread, before Spring's async interceptor submits the invocation. */
	private static final class Submitting implements MethodInterceptor {

		@Override
		public Object invoke(MethodInvocation invocation) throws Throwable {
			if (!(invocation instanceof ProxyMethodInvocation proxied)) {
				return invocation.proceed();
			}
			AsyncMethodCall call = new AsyncMethodCall();
			proxied.setUserAttribute(CALL, call);
			return call.submit(invocation);
		}

	}

	/** In the thread that runs the method, after Spring's async interceptor. */
	private static final class Running implements MethodInterceptor {

		@Override
		public Object invoke(MethodInvocation invocation) throws Throwable {
			AsyncMethodCall call = (invocation instanceof ProxyMethodInvocation proxied)
					? (AsyncMethodCall) proxied.getUserAttribute(CALL) : null;
			return (call != null) ? call.run(invocation) : invocation.proceed();
		}

	}

}
