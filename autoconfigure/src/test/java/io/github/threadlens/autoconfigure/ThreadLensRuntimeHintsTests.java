package io.github.threadlens.autoconfigure;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.threadlens.blocking.JdkThreadDump;
import io.github.threadlens.executor.VirtualThreadScheduler;
import io.opentelemetry.api.GlobalOpenTelemetry;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runtime hints a native image of a ThreadLens application needs: what
 * {@link ThreadLensRuntimeHints} registers for everything found by name, and the JDK proxies
 * that {@link ExecutorServiceProxyAotProcessor} registers from an application's bean
 * definitions, checked against the proxies the same definitions give on the JVM.
 */
class ThreadLensRuntimeHintsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
				SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
				ThreadLensCensusAutoConfiguration.class, ThreadLensMicrometerAutoConfiguration.class,
				ThreadLensExecutorAutoConfiguration.class));

	@Test
	void classesFoundByNameAtRunTimeAreHinted() throws NoSuchMethodException {
		RuntimeHints hints = new RuntimeHints();
		new ThreadLensRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(VirtualThreadScheduler.MXBEAN_INTERFACE))
			.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints);
		assertThat(List.of(JdkThreadDump.MXBEAN_INTERFACE, JdkThreadDump.FORMAT))
			.allSatisfy((name) -> assertThat(RuntimeHintsPredicates.reflection()
				.onType(TypeReference.of(name))
				.withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(hints));
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of(ThreadLensEndpointAutoConfiguration.JSON_PARSER))).accepts(hints);
		assertThat(ThreadLensRuntimeHints.CLASSES_FOUND_BY_NAME).hasSize(3)
			.allSatisfy((name) -> assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name)))
				.accepts(hints));
		// By name, since the API on the class path (Boot 4.0's) may lack the method.
		assertThat(hints.reflection().getTypeHint(GlobalOpenTelemetry.class).methods())
			.as("GlobalOpenTelemetry.isSet() invocable")
			.anyMatch((method) -> method.getName().equals("isSet") && method.getParameterTypes().isEmpty()
					&& method.getMode() == ExecutableMode.INVOKE);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(ExecutorService.class.getMethod("invokeAll", Collection.class)))
			.accepts(hints);
		assertThat(RuntimeHintsPredicates.resource()
			.forResource(ThreadLensRuntimeHints.INSTRUMENTATION_SCOPE_RESOURCE)).accepts(hints);
		assertThat(getClass().getClassLoader().getResource(ThreadLensRuntimeHints.INSTRUMENTATION_SCOPE_RESOURCE))
			.as("the hinted resource exists").isNotNull();
		assertThat(hints.reflection().getTypeHint(Thread.class).methods()).as("Thread.isVirtual() invocable")
			.anyMatch((method) -> method.getName().equals("isVirtual") && method.getMode() == ExecutableMode.INVOKE);
	}

	@Test
	void noFrameworkInternalsAreOpenedToReflection() {
		RuntimeHints hints = new RuntimeHints();
		new ThreadLensRuntimeHints().registerHints(hints, getClass().getClassLoader());
		assertThat(hints.reflection().typeHints()).allSatisfy((type) -> {
			assertThat(type.fields()).as("fields of %s", type.getType()).isEmpty();
			assertThat(type.getMemberCategories()).as("members of %s", type.getType())
				.doesNotContain(MemberCategory.ACCESS_DECLARED_FIELDS, MemberCategory.INVOKE_DECLARED_METHODS,
						MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
		});
	}

	@Test
	void registersTheProxyOfEachExecutorServiceDeclaredAsAnInterface() throws NoSuchMethodException {
		RuntimeHints hints = processAheadOfTime(this.runner.withUserConfiguration(ExecutorsConfiguration.class));
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(AopProxyUtils.completeJdkProxyInterfaces(ExecutorService.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(AopProxyUtils.completeJdkProxyInterfaces(ScheduledExecutorService.class))).accepts(hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(ScheduledExecutorService.class.getMethod("schedule", Runnable.class, long.class,
					TimeUnit.class)))
			.as("the proxy reaches the bean's methods by reflection")
			.accepts(hints);
		// A bean declared as a class is never proxied: no hint names it.
		assertThat(hints.proxies().jdkProxyHints()).hasSize(2)
			.noneSatisfy((proxy) -> assertThat(proxy.getProxiedInterfaces())
				.contains(TypeReference.of(ThreadPoolExecutor.class)));
	}

	@Test
	void theHintedProxiesAreTheOnesMadeAtRunTime() {
		RuntimeHints hints = processAheadOfTime(this.runner.withUserConfiguration(ExecutorsConfiguration.class));
		this.runner.withUserConfiguration(ExecutorsConfiguration.class).run((context) -> {
			for (String name : List.of("reportsPool", "cleanupScheduler")) {
				Object bean = context.getBean(name);
				assertThat(AopUtils.isJdkDynamicProxy(bean)).as("%s is a JDK proxy", name).isTrue();
				assertThat(RuntimeHintsPredicates.proxies().forInterfaces(bean.getClass().getInterfaces()))
					.as("hint for %s, a proxy of %s", name, Arrays.toString(bean.getClass().getInterfaces()))
					.accepts(hints);
			}
			assertThat(AopUtils.isAopProxy(context.getBean("exportPool"))).isFalse();
		});
	}

	@Test
	void executorsLeftAloneGetNoProxyHint() {
		RuntimeHints excluded = processAheadOfTime(this.runner.withUserConfiguration(ExecutorsConfiguration.class)
			.withPropertyValues("threadlens.executors.exclude=cleanupScheduler"));
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(AopProxyUtils.completeJdkProxyInterfaces(ScheduledExecutorService.class)))
			.rejects(excluded);
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(AopProxyUtils.completeJdkProxyInterfaces(ExecutorService.class))).accepts(excluded);
		RuntimeHints disabled = processAheadOfTime(this.runner.withUserConfiguration(ExecutorsConfiguration.class)
			.withPropertyValues("threadlens.enabled=false"));
		assertThat(disabled.proxies().jdkProxyHints()).isEmpty();
	}

	private static RuntimeHints processAheadOfTime(ApplicationContextRunner runner) {
		DefaultGenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(ThreadLensRuntimeHintsTests.class)), new InMemoryGeneratedFiles());
		runner.prepare((context) -> new ApplicationContextAotGenerator()
			.processAheadOfTime(context.getSourceApplicationContext(GenericApplicationContext.class), generationContext));
		return generationContext.getRuntimeHints();
	}

	@Configuration(proxyBeanMethods = false)
	static class ExecutorsConfiguration {

		@Bean(destroyMethod = "shutdownNow")
		ExecutorService reportsPool() {
			return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		}

		// Declared as the scheduled interface: the proxy implements it, as the hint says.
		@Bean(destroyMethod = "shutdownNow")
		ScheduledExecutorService cleanupScheduler() {
			return new ScheduledThreadPoolExecutor(1);
		}

		@Bean(destroyMethod = "shutdownNow")
		ThreadPoolExecutor exportPool() {
			return new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
		}

	}

}
