package io.github.threadlens.executor;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

/**
 * Routes the task submissions of a proxied executor bean through a
 * {@link MonitoredExecutorService}, so that its tasks are timed while every other call,
 * lifecycle included, goes to the bean itself.
 * <p>
 * A submission is only rerouted where the proxied method returns what the
 * {@code ExecutorService} contract does, so that a proxy of a narrower type (an existing
 * AOP proxy of a {@code ForkJoinPool}, whose {@code submit} returns a {@code ForkJoinTask})
 * passes such calls through untimed.
 */
final class SubmissionInterceptor implements MethodInterceptor {

	private static final Map<Signature, Submission> SUBMISSIONS = Map.of(
			Signature.of("execute", Runnable.class), (executor, args) -> {
				executor.execute((Runnable) args[0]);
				return null;
			}, Signature.of("submit", Callable.class), (executor, args) -> executor.submit((Callable<?>) args[0]),
			Signature.of("submit", Runnable.class), (executor, args) -> executor.submit((Runnable) args[0]),
			Signature.of("submit", Runnable.class, Object.class),
			(executor, args) -> executor.submit((Runnable) args[0], args[1]),
			Signature.of("invokeAll", Collection.class), (executor, args) -> executor.invokeAll(tasks(args[0])),
			Signature.of("invokeAll", Collection.class, long.class, TimeUnit.class),
			(executor, args) -> executor.invokeAll(tasks(args[0]), (long) args[1], (TimeUnit) args[2]),
			Signature.of("invokeAny", Collection.class), (executor, args) -> executor.invokeAny(tasks(args[0])),
			Signature.of("invokeAny", Collection.class, long.class, TimeUnit.class),
			(executor, args) -> executor.invokeAny(tasks(args[0]), (long) args[1], (TimeUnit) args[2]));

	private static final Submission PASS_THROUGH = (executor, args) -> {
		throw new IllegalStateException("not a submission");
	};

	private final MonitoredExecutorService monitored;

	private final Map<Method, Submission> routes = new ConcurrentHashMap<>();

	SubmissionInterceptor(MonitoredExecutorService monitored) {
		this.monitored = monitored;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Submission submission = this.routes.computeIfAbsent(invocation.getMethod(), SubmissionInterceptor::route);
		if (submission == PASS_THROUGH) {
			return invocation.proceed();
		}
		return submission.submit(this.monitored, invocation.getArguments());
	}

	private static Submission route(Method method) {
		Submission submission = SUBMISSIONS.get(Signature.of(method.getName(), method.getParameterTypes()));
		if (submission == null) {
			return PASS_THROUGH;
		}
		try {
			Method contract = ExecutorService.class.getMethod(method.getName(), method.getParameterTypes());
			return method.getReturnType().isAssignableFrom(contract.getReturnType()) ? submission : PASS_THROUGH;
		}
		catch (NoSuchMethodException ex) {
			return PASS_THROUGH;
		}
	}

	@SuppressWarnings("unchecked")
	private static Collection<Callable<Object>> tasks(Object tasks) {
		return (Collection<Callable<Object>>) tasks;
	}

	@FunctionalInterface
	private interface Submission {

		Object submit(ExecutorService executor, Object[] args) throws Exception;

	}

	private record Signature(String name, List<Class<?>> parameterTypes) {

		static Signature of(String name, Class<?>... parameterTypes) {
			return new Signature(name, List.of(parameterTypes));
		}

	}

}
