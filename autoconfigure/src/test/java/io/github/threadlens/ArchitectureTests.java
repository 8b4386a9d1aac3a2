package io.github.threadlens;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
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

}
