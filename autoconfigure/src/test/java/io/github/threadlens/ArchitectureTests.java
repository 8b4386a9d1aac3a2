package io.github.threadlens;

import java.lang.reflect.AccessibleObject;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import org.springframework.util.ReflectionUtils;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The shape of the code base, checked on its compiled classes: the catalog at the bottom,
 * collectors above it, sinks and wiring on top, and no package reaching back into one that
 * depends on it.
 */
class ArchitectureTests {

	private static final JavaClasses CLASSES = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("io.github.threadlens");

	/**
	 * Reading or opening a framework's private members ties ThreadLens to one version of its
	 * internals and breaks in native images: public extension points only.
	 */
	private static final ArchRule NO_REFLECTION_INTO_PRIVATE_MEMBERS = noClasses()
		.should()
		.callMethodWhere(target(owner(assignableTo(AccessibleObject.class))).and(target(nameMatching("setAccessible|trySetAccessible"))))
		.orShould()
		.callMethodWhere(target(owner(assignableTo(Class.class)))
			.and(target(nameMatching("getDeclared(Field|Fields|Method|Methods|Constructor|Constructors)"))))
		.orShould()
		.callMethodWhere(target(owner(assignableTo(ReflectionUtils.class)))
			.and(target(nameMatching("findField|getField|setField|makeAccessible|doWithFields|doWithLocalFields"))))
		.because("ThreadLens uses public extension points only");

	@Test
	void noReflectionIntoPrivateMembers() {
		NO_REFLECTION_INTO_PRIVATE_MEMBERS.check(CLASSES);
	}

	@Test
	void reflectionIntoPrivateMembersIsCaught() {
		EvaluationResult result = NO_REFLECTION_INTO_PRIVATE_MEMBERS
			.evaluate(new ClassFileImporter().importClasses(ReadsAPrivateField.class));
		assertThat(result.getFailureReport().getDetails()).hasSize(3);
	}

	@Test
	void packagesHaveNoCycles() {
		slices().matching("io.github.threadlens.(*)..").should().beFreeOfCycles().check(CLASSES);
	}

	@Test
	void catalogDependsOnNoOtherPackage() {
		noClasses().that()
			.resideInAPackage("io.github.threadlens.catalog..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.threadlens.actuate..", "io.github.threadlens.autoconfigure..",
					"io.github.threadlens.blocking..", "io.github.threadlens.cardinality..",
					"io.github.threadlens.census..", "io.github.threadlens.executor..", "io.github.threadlens.export..",
					"io.github.threadlens.rules..")
			.check(CLASSES);
	}

	@Test
	void collectorsDoNotKnowTheirSinksOrWiring() {
		noClasses().that()
			.resideInAnyPackage("io.github.threadlens.blocking..", "io.github.threadlens.cardinality..",
					"io.github.threadlens.census..", "io.github.threadlens.executor..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.github.threadlens.export..", "io.github.threadlens.autoconfigure..",
					"io.github.threadlens.actuate..")
			.check(CLASSES);
	}

	/** What the rule forbids, to show that it would see it. */
	static final class ReadsAPrivateField {

		Object read(Object executor) throws ReflectiveOperationException {
			java.lang.reflect.Field field = executor.getClass().getDeclaredField("taskDecorator");
			field.setAccessible(true);
			ReflectionUtils.makeAccessible(field);
			return field.get(executor);
		}

	}

}
