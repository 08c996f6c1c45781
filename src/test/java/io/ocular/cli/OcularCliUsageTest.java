package io.ocular.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage and user errors: exit codes and one-line messages, without opening the engine. */
class OcularCliUsageTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"", "index", "status", "search", "duplicates", "models", "models list", "models import", "models download", "models remove", "models text-model", "eval", "bench", "bench index", "bench search"})
    void helpWorksForEveryCommand(String command) {
        String[] args = command.isEmpty() ? new String[] {"--help"} : (command + " --help").split(" ");
        CliRun r = CliRun.run(args);
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: ocular" + (command.isEmpty() ? "" : " " + command));
        assertThat(r.err()).isEmpty();
    }

    @Test
    void helpExplainsTheTextModelChoiceAndFolderImport() {
        assertThat(CliRun.run("search", "--help").out()).contains("--text-model").contains("clip-vit-b32-multilingual");
        assertThat(CliRun.run("models", "import", "--help").out()).contains("PATH...").contains("folder")
                .contains("SHA-256").contains("--space");
        assertThat(CliRun.run("models", "text-model", "--help").out()).contains("Multilingual");
    }

    @Test
    void versionPrintsTheVersion() {
        CliRun r = CliRun.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Ocular ");
    }

    @Test
    void unknownFlagIsAUsageError() {
        CliRun r = CliRun.run("status", "--frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'").contains("Usage: ocular status");
    }

    @Test
    void missingCommandIsAUsageError() {
        CliRun r = CliRun.run("--data-dir", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing command");
    }

    @Test
    void contradictorySearchFlagsAreUsageErrors() {
        assertThat(CliRun.run("search").err()).contains("Give --image FILE|ID or --text TEXT.");
        CliRun r = CliRun.run("search", "--text", "cat", "--image", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(CliRun.run("search", "--text", "cat", "--modify", "blue").err()).contains("--modify needs --image");
        assertThat(CliRun.run("search", "--image", "1", "-k", "0").code()).isEqualTo(2);
        assertThat(CliRun.run("search", "--image", "1", "--modify", "x", "--weight", "2").err())
                .contains("--weight must be between 0 and 1");
    }

    @Test
    void missingFilesAreOneLineUserErrors() {
        CliRun r = CliRun.run("--data-dir", tmp.toString(), "index", tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("ocular: Folder not found: " + tmp.resolve("nope"));

        CliRun s = CliRun.run("--data-dir", tmp.toString(), "search", "--image", tmp.resolve("gone.jpg").toString());
        assertThat(s.code()).isEqualTo(1);
        assertThat(s.err().strip()).isEqualTo("ocular: Image file not found: " + tmp.resolve("gone.jpg"));
        assertThat(s.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void evalRejectsUnknownProtocolAndMissingDataset() throws Exception {
        Files.createDirectories(tmp.resolve("ds/a"));
        CliRun r = CliRun.run("eval", "--dataset", tmp.resolve("ds").toString(), "--protocol", "imagenet");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("ocular: Unknown protocol 'imagenet'");
        CliRun m = CliRun.run("eval", "--dataset", tmp.resolve("missing").toString(), "--protocol", "classes");
        assertThat(m.code()).isEqualTo(1);
        assertThat(m.err()).startsWith("ocular: Dataset folder not found");
        assertThat(CliRun.run("eval", "--protocol", "classes").code()).isEqualTo(2);
    }

    @Test
    void instanceSearchOptionsAreExplainedAndCheckedBeforeAnyWork() {
        Path ds = tmp.resolve("ds");
        String help = CliRun.run("eval", "--help").out();
        for (String option : new String[] {"--rotations", "--turn-penalty", "--turn-size", "--query-turns", "--qe", "--qe-alpha", "--keypoints", "--nms",
                "--ransac-tolerance", "--promote-inliers", "--confident-inliers", "--rerank", "--dba", "--dba-alpha",
                "upright", "--promote-alone", "--promote-margin", "--promote-threshold", "--confidence-margin", "--confidence-threshold",
                "--promote-reciprocal", "--confidence-reciprocal"}) {
            assertThat(help).contains(option);
        }
        assertThat(CliRun.run("search", "--help").out()).contains("--rotations").contains("sideways");
        CliRun r = CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--rotations", "sideways");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("ocular: --rotations takes on, off, auto or upright (got 'sideways')");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--qe", "-1").err()).startsWith("ocular: --qe must be 0 or more");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--dba", "-1").err()).startsWith("ocular: --dba must be 0 or more");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--rotations", "upright", "--rerank", "local").err())
                .startsWith("ocular: --rotations upright is measured for global search only");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--promote-inliers", "2").err()).contains("must be at least 3");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--promote-reciprocal", "-1").err()).startsWith("ocular: --promote-reciprocal must be 0"
                + " or positive");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--confidence-reciprocal", "NaN").err()).startsWith("ocular: --confidence-reciprocal must"
                + " be 0 or positive");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--turn-penalty", "-1").err()).contains("--turn-penalty must be 0 or positive");
        for (String size : new String[] {"16", "-1", "5000"}) {
            CliRun bad = CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                    "holidays", "--turn-size", size);
            assertThat(bad.code()).isEqualTo(1);
            assertThat(bad.err()).startsWith("ocular: --turn-size must be 0 (the model's own size) or 32 to 1024"
                    + " pixels (got " + size + ")");
        }
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--query-turns", "4").err()).startsWith("ocular: --query-turns must be 0 to 3");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--query-turns", "1", "--rotations", "off").err())
                .startsWith("ocular: --query-turns is measured with --rotations on");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--promote-margin", "-1").err()).contains("--promote-margin must be 0 or positive");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--promote-alone", "1").err()).contains("--promote-alone must be at least 3");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--confidence-margin", "-0.5").err()).contains("--confidence-margin must be 0 or positive");
        assertThat(CliRun.run("--data-dir", tmp.toString(), "eval", "--dataset", ds.toString(), "--protocol",
                "holidays", "--confident-inliers", "20", "--confidence-threshold", "3").err())
                .contains("does not combine with");
        CliRun s = CliRun.run("--data-dir", tmp.toString(), "search", "--image", "1", "--rotations", "maybe");
        assertThat(s.code()).isEqualTo(1);
        assertThat(s.err()).startsWith("ocular: --rotations takes on or off (got 'maybe')");
    }

    @Test
    void dataDirMayFollowTheSubcommand() {
        CliRun r = CliRun.run("index", "--data-dir", tmp.toString(), tmp.resolve("nope").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("Folder not found");
    }
}
