package io.ocular.installer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Builds the jpackage app image from the packaged jar with the same argument files as the installer profile
 * ({@code installer/jpackage/*.args}) and checks what a user would get: a launcher, a trimmed runtime, a sane
 * size, and a launcher that answers {@code --version} and passes {@code --self-test} on a fresh data folder.
 * Runs in {@code mvn verify} (failsafe), after the jar exists.
 */
class AppImageIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path WORK = ROOT.resolve("target/it-app-image");
    private static Path image;

    @BeforeAll
    static void buildAppImage() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "app-image check runs on Linux");
        Path jar = ROOT.resolve("target/ocular.jar");
        assertThat(jar).as("the shaded jar from the package phase").exists();
        deleteTree(WORK);
        Path input = Files.createDirectories(WORK.resolve("input"));
        Files.copy(jar, input.resolve("ocular.jar"));
        ToolProvider jpackage = ToolProvider.findFirst("jpackage").orElseThrow(() -> new AssertionError("JDK has no jpackage"));
        List<String> args = new ArrayList<>(List.of("--type", "app-image",
                "@installer/jpackage/app.args", "@installer/jpackage/image.args", "@installer/jpackage/linux-image.args",
                "--input", input.toString(), "--dest", WORK.resolve("out").toString()));
        StringWriter out = new StringWriter();
        int rc = jpackage.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        assertThat(rc).as("jpackage output:%n%s", out).isZero();
        image = WORK.resolve("out/Ocular");
    }

    @Test
    void hasALauncherAndATrimmedRuntime() throws IOException {
        assertThat(image.resolve("bin/Ocular")).isExecutable();
        assertThat(image.resolve("lib/app/ocular.jar")).exists();
        Path release = image.resolve("lib/runtime/release");
        String modules = Files.readString(release);
        assertThat(modules).contains("java.desktop", "java.sql", "jdk.unsupported", "java.net.http");
        assertThat(modules).as("no compiler or shell in a user runtime").doesNotContain("jdk.compiler", "jdk.jshell");
        assertThat(image.resolve("lib/runtime/include")).doesNotExist();
        long bytes = size(image);
        assertThat(bytes).as("app image size").isBetween(40L << 20, 400L << 20);
    }

    @Test
    void launcherAnswersVersionAndPassesTheSelfTest() throws Exception {
        Path home = Files.createDirectories(WORK.resolve("home"));
        Result version = run(home, "--version");
        assertThat(version.code).as(version.output).isZero();
        assertThat(version.output).contains("Ocular");
        Result selfTest = run(home, "--self-test");
        assertThat(selfTest.code).as(selfTest.output).isZero();
        assertThat(selfTest.output).contains("index + search").endsWith("OK\n");
    }

    @Test
    void launcherWithoutADisplayExplainsInOneParagraphNamingItself() throws Exception {
        Path home = Files.createDirectories(WORK.resolve("home-no-display"));
        Result r = run(home);
        assertThat(r.code).as(r.output).isEqualTo(3);
        assertThat(r.output.strip()).startsWith("Ocular cannot open its window: no graphical display was found")
                .contains("'" + image.resolve("bin/Ocular") + " --help'")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void debianPackageDeclaresWhatTheWindowLoadsAndRecommendsACjkFont() throws IOException {
        // JavaFX's natives live inside the jar, so jpackage cannot see what they link: glass needs GTK 3 and
        // XTest, prism X11, Xxf86vm and GL, its text freetype and fontconfig
        String args = Files.readString(ROOT.resolve("installer/jpackage/linux.args"));
        assertThat(args).contains("--linux-package-deps \"libgtk-3-0 | libgtk-3-0t64,", "libxtst6", "libgl1",
                "libxxf86vm1", "libfreetype6", "libfontconfig1");
        String control = Files.readString(ROOT.resolve("installer/linux/control"));
        assertThat(control).contains("Depends: PACKAGE_DEFAULT_DEPENDENCIES PACKAGE_CUSTOM_DEPENDENCIES",
                "Recommends: fonts-noto-cjk");
    }

    private record Result(int code, String output) {
    }

    private static Result run(Path home, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(image.resolve("bin/Ocular").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("OCULAR_HOME", home.toString());
        pb.environment().remove("DISPLAY");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
