package io.ocular.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's start-up message when the window cannot open (no display, no GTK), instead of a stack trace. */
class WindowPreflightTest {

    @TempDir
    Path tmp;

    private WindowPreflight linux(Map<String, String> env, Path... libraryDirs) {
        return new WindowPreflight("Linux", env, null, List.of(libraryDirs), "ocular");
    }

    private Path dirWithGtk() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("with-gtk"));
        Files.writeString(lib.resolve("libgtk-3.so.0"), "stand-in");
        return lib;
    }

    @Test
    void withoutADisplayTheMessageSaysSoAndPointsAtTheCli() throws Exception {
        String msg = linux(Map.of(), dirWithGtk()).problem().orElseThrow();

        assertThat(msg).startsWith("Ocular cannot open its window: no graphical display was found")
                .contains("DISPLAY").contains("'ocular --help'").contains("'ocular index ~/Pictures'")
                .doesNotContain("\n");
    }

    @Test
    void aWaylandSessionWithoutXwaylandIsNamed() throws Exception {
        String msg = linux(Map.of("WAYLAND_DISPLAY", "wayland-0"), dirWithGtk()).problem().orElseThrow();

        assertThat(msg).contains("Wayland").contains("xwayland").contains("--help");
    }

    @Test
    void withoutGtkTheMessageNamesThePackageToInstall() {
        Path empty = tmp.resolve("no-gtk");
        String msg = linux(Map.of("DISPLAY", ":0"), empty).problem().orElseThrow();

        assertThat(msg).startsWith("Ocular cannot open its window: the GTK 3 library (libgtk-3.so.0)")
                .contains("sudo apt install libgtk-3-0").contains("libgtk-3-0t64").contains("dnf install gtk3")
                .contains("The command line works without it: run 'ocular --help'").doesNotContain("\n");
    }

    @Test
    void withADisplayAndGtkThereIsNoProblem() throws Exception {
        WindowPreflight p = linux(Map.of("DISPLAY", ":0"), tmp.resolve("elsewhere"), dirWithGtk());

        assertThat(p.problem()).isEmpty();
        assertThat(p.findLibrary()).contains(dirWithGtk().resolve("libgtk-3.so.0"));
    }

    @Test
    void gtk2IsAcceptedAsGlassFallsBackToIt() throws Exception {
        Path lib = Files.createDirectories(tmp.resolve("gtk2"));
        Files.writeString(lib.resolve("libgtk-x11-2.0.so.0"), "stand-in");

        assertThat(linux(Map.of("DISPLAY", ":1"), lib).problem()).isEmpty();
    }

    @Test
    void aToolkitThatFailsAnywayIsExplainedWithTheDisplayItTried() throws Exception {
        String msg = linux(Map.of("DISPLAY", ":77"), dirWithGtk())
                .toolkitFailed(new UnsupportedOperationException("Unable to open DISPLAY"));

        assertThat(msg).isEqualTo("Ocular cannot open its window: the window toolkit could not start (Unable to open"
                + " DISPLAY). Check that the display :77 is running and that you may use it (in a desktop session it"
                + " normally is; over SSH connect with 'ssh -X'). The command line works without a display: run"
                + " 'ocular --help' (for example 'ocular index ~/Pictures', then 'ocular search --image photo.jpg').");
    }

    @Test
    void macWindowsAndMonocleAreNotChecked() {
        Path empty = tmp.resolve("none");
        assertThat(new WindowPreflight("Mac OS X", Map.of(), null, List.of(empty), "ocular").problem()).isEmpty();
        assertThat(new WindowPreflight("Windows 11", Map.of(), null, List.of(empty), "ocular").problem()).isEmpty();
        assertThat(new WindowPreflight("Linux", Map.of(), "Monocle", List.of(empty), "ocular").problem()).isEmpty();
    }

    @Test
    void libraryFoldersComeFromLdLibraryPathTheLinkerConfigurationAndTheSystem() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("ld.so.conf.d"));
        Files.writeString(conf.resolve("x.conf"), "# comment\n/opt/gtk/lib\ninclude other\n");
        Files.writeString(conf.resolve("ignored.txt"), "/not/this\n");

        List<Path> dirs = WindowPreflight.systemLibraryDirs("/a:/b:", conf);

        assertThat(dirs).startsWith(Path.of("/a"), Path.of("/b"), Path.of("/opt/gtk/lib"))
                .contains(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"))
                .doesNotContain(Path.of("/not/this"));
        assertThat(WindowPreflight.systemLibraryDirs(null, tmp.resolve("missing"))).contains(Path.of("/usr/lib"));
    }

    @Test
    void theLauncherWithoutADisplayPrintsOneParagraphAndExitsNonZero() throws Exception {
        String err = launch(null);

        assertThat(err).startsWith("Ocular cannot open its window: no graphical display was found");
    }

    @Test
    void theLauncherWithADisplayThatIsNotRunningPrintsOneParagraphAndExitsNonZero() throws Exception {
        String err = launch(":77");

        // GTK missing on this machine: that paragraph; else the toolkit's own refusal, explained
        assertThat(err).satisfiesAnyOf(
                e -> assertThat(e).startsWith("Ocular cannot open its window: the GTK 3 library"),
                e -> assertThat(e).startsWith("Ocular cannot open its window: the window toolkit could not start"
                        + " (Unable to open DISPLAY). Check that the display :77 is running"));
    }

    /** Runs the launcher in a child JVM with this DISPLAY (null: none); checks the exit and returns stderr. */
    private String launch(String display) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--data-dir", tmp.resolve("data").toString());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        if (display != null) {
            pb.environment().put("DISPLAY", display);
        }
        pb.redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile());
        Process child = pb.start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the launcher exits").isTrue();

        String err = Files.readString(tmp.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(err).isEqualTo(WindowPreflight.EXIT_CODE);
        assertThat(err.strip()).as("one paragraph, no stack trace").contains("--help").doesNotContain("\n")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8)).isEmpty();
        return err.strip();
    }
}
