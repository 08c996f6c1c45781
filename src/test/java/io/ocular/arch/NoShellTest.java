package io.ocular.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Security review (docs/decisions/0130): file names come from the user's disk and can hold anything
 * (quotes, $(...), ;, newlines, a leading '-'). Nothing in Ocular runs a command line that a shell or a
 * tokenizer could split: files and folders are opened through java.awt.Desktop (a file: URI), never exec.
 */
class NoShellTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.ocular");

    @Test
    void nothingCallsRuntimeExec() {
        noClasses().should().callMethodWhere(DescribedPredicate.describe("Runtime.exec",
                        call -> call.getTarget().getOwner().isEquivalentTo(Runtime.class)
                                && call.getTarget().getName().equals("exec")))
                .because("Runtime.exec(String) splits its argument on spaces; use ProcessBuilder with a list")
                .check(MAIN);
    }

    @Test
    void fileOpenersStartNoProcess() {
        noClasses().that().haveSimpleNameStartingWith("FileManager").or().haveSimpleNameStartingWith("FolderOpener")
                .or().haveSimpleNameStartingWith("Trash")
                .should().dependOnClassesThat().areAssignableTo(ProcessBuilder.class)
                .because("\"Show in folder\" and friends hand the desktop a file: URI, so no name is ever interpolated")
                .check(MAIN);
    }
}
