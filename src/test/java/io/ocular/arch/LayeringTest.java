package io.ocular.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The layering rules of docs/decisions/0001-architecture.md, enforced on production code. */
@AnalyzeClasses(packages = "io.ocular", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule javafxOnlyInUiAndApp = noClasses()
            .that().resideOutsideOfPackages("io.ocular.ui..", "io.ocular.app..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
            .because("the engine must run headless (CLI, daemon, tests) without a toolkit");

    @ArchTest
    static final ArchRule djlOnlyInEmbedAndTraining = noClasses()
            .that().resideOutsideOfPackages("io.ocular.embed..", "io.ocular.search.train..")
            .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
            .because("model runtimes stay behind the ImageEncoder/TextEncoder seams (training code excepted)");

    @ArchTest
    static final ArchRule sqlOnlyInStore = noClasses()
            .that().resideOutsideOfPackage("io.ocular.store..")
            .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "org.sqlite..")
            .because("the catalog is the only owner of the database; everything else goes through Catalog");

    @ArchTest
    static final ArchRule modelIsPlainValues = noClasses()
            .that().resideInAPackage("io.ocular.model..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ocular.store..", "io.ocular.index..",
                    "io.ocular.embed..", "io.ocular.search..", "io.ocular.ui..", "io.ocular.app..", "io.ocular.cli..")
            .because("model/ holds value records every layer shares; it depends on nothing of ours");

    @ArchTest
    static final ArchRule engineDoesNotKnowFrontEnds = noClasses()
            .that().resideInAnyPackage("io.ocular.store..", "io.ocular.index..", "io.ocular.embed..",
                    "io.ocular.search..", "io.ocular.eval..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ocular.ui..", "io.ocular.cli..", "io.ocular.app..")
            .because("the engine is composed by app/ and driven by ui/ and cli/, never the other way round");

    @ArchTest
    static final ArchRule uiDoesNotTouchStorageOrRuntime = noClasses()
            .that().resideInAPackage("io.ocular.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ocular.cli..")
            .because("the GUI and the CLI are two independent front ends over the same engine");
}
