package io.ocular.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The layering rules of docs/decisions/0001-architecture.md, enforced on production code. */
@AnalyzeClasses(packages = "io.ocular", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    /**
     * app (launcher, composition root) on top; the two front ends (ui, cli) under it; the headless engine they
     * both open; the core packages the engine wires; model (plain values) at the bottom. Front ends may still
     * name core seams (Catalog, SearchService, Indexer are the interfaces the engine hands out), but never
     * the other way round.
     */
    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("App").definedBy("io.ocular.app..")
            .layer("Ui").definedBy("io.ocular.ui..")
            .layer("Cli").definedBy("io.ocular.cli..")
            .layer("Engine").definedBy("io.ocular.engine..")
            .layer("Core").definedBy("io.ocular.search..", "io.ocular.index..", "io.ocular.embed..",
                    "io.ocular.eval..", "io.ocular.store..")
            .layer("Model").definedBy("io.ocular.model..")
            .whereLayer("App").mayNotBeAccessedByAnyLayer()
            .whereLayer("Ui").mayOnlyBeAccessedByLayers("App")
            .whereLayer("Cli").mayOnlyBeAccessedByLayers("App")
            .whereLayer("Engine").mayOnlyBeAccessedByLayers("App", "Ui", "Cli")
            .whereLayer("Core").mayOnlyBeAccessedByLayers("App", "Ui", "Cli", "Engine")
            .because("every front end opens the one headless engine; the engine never knows its front ends, and "
                    + "model/ is the values every layer shares (docs/decisions/0001, 0120)");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.ocular.(*)..").should().beFreeOfCycles()
            .because("packages that import each other cannot be understood, tested or replaced one at a time");

    @ArchTest
    static final ArchRule noSubPackageCycles = slices().matching("io.ocular.(**)").should().beFreeOfCycles()
            .because("sub-packages are seams too: search.local builds on search's Reranker/QueryImageLoader, so search "
                    + "must not reach back into search.local (its verifying decorator lives there)");

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
                    "io.ocular.embed..", "io.ocular.search..", "io.ocular.eval..", "io.ocular.engine..",
                    "io.ocular.ui..", "io.ocular.app..", "io.ocular.cli..")
            .because("model/ holds value records every layer shares; it depends on nothing of ours");

    @ArchTest
    static final ArchRule coreDoesNotKnowEngineOrFrontEnds = noClasses()
            .that().resideInAnyPackage("io.ocular.store..", "io.ocular.index..", "io.ocular.embed..",
                    "io.ocular.search..", "io.ocular.eval..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ocular.engine..", "io.ocular.ui..",
                    "io.ocular.cli..", "io.ocular.app..")
            .because("the engine composes the core packages and ui/ and cli/ drive it, never the other way round");

    @ArchTest
    static final ArchRule engineIsHeadless = noClasses()
            .that().resideInAPackage("io.ocular.engine..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ocular.ui..", "io.ocular.cli..", "io.ocular.app..")
            .because("the engine is the one way in for every front end, so it can know none of them");

    @ArchTest
    static final ArchRule frontEndsAreIndependent = noClasses()
            .that().resideInAPackage("io.ocular.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ocular.cli..")
            .orShould().dependOnClassesThat().resideInAnyPackage("io.ocular.app..")
            .because("the GUI and the CLI are two independent front ends over the same engine");

    @ArchTest
    static final ArchRule cliDoesNotKnowTheWindow = noClasses()
            .that().resideInAPackage("io.ocular.cli..")
            .should().dependOnClassesThat().resideInAnyPackage("io.ocular.ui..", "io.ocular.app..")
            .because("the CLI runs headless and app/ (the launcher) sits above it, not below");
}
