package io.ocular.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Drag and drop across processes, as a user does it: the packaged app ({@code target/ocular.jar}, real JavaFX
 * on GTK, not Monocle) runs under Xvfb with a fresh data folder; a separate X client (a few lines of Python
 * GTK 3, {@code src/test/resources/e2e/drag_source.py}) offers files as a file manager does, and
 * {@code xdotool} drags them with the mouse: a folder onto the library (it is added and indexed, checked
 * with {@code ocular status --json} on the same data folder) and a photo onto the search pane (a search by
 * that image runs, checked in the app's log). Skips, saying why, without Xvfb, xdotool or python3-gi with
 * GTK 3 ({@code apt-get install xvfb xdotool python3-gi gir1.2-gtk-3.0}). Run: {@code mvn -B -Pe2e verify}.
 */
@Tag("e2e")
class WindowDragDropIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path JAR = ROOT.resolve("target/ocular.jar");
    private static final Path SOURCE = ROOT.resolve("src/test/resources/e2e/drag_source.py");

    @TempDir
    Path tmp;
    private final List<Process> started = new ArrayList<>();
    private String display;

    @AfterEach
    void stop() {
        for (int i = started.size() - 1; i >= 0; i--) {
            Process p = started.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aFolderDraggedOntoTheLibraryIsIndexedAndAPhotoDraggedOntoTheSearchPaneIsSearched() throws Exception {
        assumeTrue(onPath("Xvfb"), "Xvfb is not installed (apt-get install xvfb)");
        assumeTrue(onPath("xdotool"), "xdotool is not installed (apt-get install xdotool)");
        assumeTrue(run(List.of(python(), "-c", "import gi; gi.require_version('Gtk', '3.0');"
                + " from gi.repository import Gtk"), 30).code == 0,
                "python3 with GTK 3 bindings is missing (apt-get install python3-gi gir1.2-gtk-3.0)");
        assertThat(JAR).as("the packaged app (mvn package runs before this test in verify)").exists();

        startXvfb();
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path photos = writePhotos(Files.createDirectories(tmp.resolve("holiday")), 4);
        Path query = writePhotos(Files.createDirectories(tmp.resolve("elsewhere")), 1).resolve("photo-1.jpg");

        Process app = start(List.of(java(), "-Djava.util.prefs.userRoot=" + tmp.resolve("prefs"), "-jar",
                JAR.toString()), data, tmp.resolve("app.out"));
        String window = waitForWindow("^Ocular$", app);
        int[] g = geometry(window);
        int x = g[0];
        int y = g[1];
        int w = g[2];
        int h = g[3];

        // a folder onto the library (the left sidebar, 270 px wide)
        drag(photos, x + 135, y + h / 2);
        waitFor(120, () -> status(data).matches("(?s).*\"indexed\"\\s*:\\s*4\\b.*"),
                () -> "the dropped folder was not indexed; status: " + status(data) + "\napp output:\n" + read(tmp.resolve("app.out")));
        assertThat(status(data)).contains(photos.getFileName().toString());

        // a photo onto the search pane (right of the sidebar: the search bar and the grid under it)
        drag(query, x + 270 + (w - 270) / 3, y + h / 2);
        Path log = data.resolve("logs/ocular.log");
        waitFor(60, () -> read(log).contains("new search: ByFile[file=" + query),
                () -> "no search by the dropped photo in the log:\n" + read(log));
    }

    // ---- the X session ----------------------------------------------------------------------------

    private void startXvfb() throws Exception {
        for (int n = 90 + (int) (ProcessHandle.current().pid() % 50); n < 200; n++) {
            if (Files.exists(Path.of("/tmp/.X11-unix/X" + n)) || Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                continue;
            }
            Process xvfb = new ProcessBuilder("Xvfb", ":" + n, "-screen", "0", "1600x1000x24", "-nolisten", "tcp")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("xvfb.out").toFile()).start();
            started.add(xvfb);
            display = ":" + n;
            int d = n;
            waitFor(20, () -> Files.exists(Path.of("/tmp/.X11-unix/X" + d)) || !xvfb.isAlive(),
                    () -> "Xvfb did not start");
            if (xvfb.isAlive()) {
                return;
            }
        }
        throw new AssertionError("no free X display");
    }

    private Process start(List<String> command, Path data, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("DISPLAY", display);
        pb.environment().put("GDK_BACKEND", "x11");
        if (data != null) {
            pb.environment().put("OCULAR_HOME", data.toString());
        }
        Process p = pb.start();
        started.add(p);
        return p;
    }

    private String waitForWindow(String name, Process owner) throws Exception {
        String[] id = new String[1];
        waitFor(180, () -> {
            Result r = xdotool("search", "--onlyvisible", "--name", name);
            id[0] = r.code == 0 && !r.out.isBlank() ? r.out.strip().split("\\s+")[0] : null;
            return id[0] != null || !owner.isAlive();
        }, () -> "no window " + name);
        assertThat(owner.isAlive()).as("the app exited:%n%s", read(tmp.resolve("app.out"))).isTrue();
        Thread.sleep(3000); // first layout and the library read
        return id[0];
    }

    private int[] geometry(String window) {
        String out = xdotool("getwindowgeometry", "--shell", window).out;
        return new int[] {value(out, "X"), value(out, "Y"), value(out, "WIDTH"), value(out, "HEIGHT")};
    }

    private static int value(String shell, String key) {
        Matcher m = Pattern.compile("(?m)^" + key + "=(-?\\d+)").matcher(shell);
        assertThat(m.find()).as("%s in %s", key, shell).isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Drags {@code file} from a fresh drag source at the screen's top-left corner to (tx, ty). */
    private void drag(Path file, int tx, int ty) throws Exception {
        Process source = start(List.of(python(), SOURCE.toString(), file.toString()), null, tmp.resolve("source.out"));
        waitFor(30, () -> read(tmp.resolve("source.out")).contains("ready") || !source.isAlive(),
                () -> "the drag source did not start: " + read(tmp.resolve("source.out")));
        xdotool("mousemove", "60", "60");
        Thread.sleep(300);
        xdotool("mousedown", "1");
        Thread.sleep(200);
        for (int i = 1; i <= 20; i++) { // a real drag moves in steps; GTK starts it past a threshold
            xdotool("mousemove", String.valueOf(60 + (tx - 60) * i / 20), String.valueOf(60 + (ty - 60) * i / 20));
            Thread.sleep(60);
        }
        Thread.sleep(500);
        xdotool("mouseup", "1");
        source.waitFor(10, TimeUnit.SECONDS);
    }

    private Result xdotool(String... args) {
        List<String> cmd = new ArrayList<>(List.of("xdotool"));
        cmd.addAll(List.of(args));
        return run(cmd, 15);
    }

    private String status(Path data) {
        Result r = run(List.of(java(), "-Djava.awt.headless=true", "-jar", JAR.toString(), "--data-dir",
                data.toString(), "status", "--json"), 120);
        return r.out;
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private record Result(int code, String out) {
    }

    private Result run(List<String> command, int seconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (display != null) {
                pb.environment().put("DISPLAY", display);
            }
            Process p = pb.start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, new String(out, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static void waitFor(int seconds, BooleanSupplier done, Supplier<String> why)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(why.get());
            }
            Thread.sleep(250);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** The system's python3 (where Debian's python3-gi lives), else the one on PATH. */
    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path writePhotos(Path folder, int n) throws IOException {
        for (int i = 1; i <= n; i++) {
            BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
            var g = img.createGraphics();
            g.setColor(Color.getHSBColor(i / (float) (n + 1), 0.6f, 0.9f));
            g.fillRect(0, 0, 320, 240);
            g.setColor(Color.getHSBColor((i + 2) / (float) (n + 1), 0.8f, 0.4f));
            g.fillOval(40 + 20 * i, 40, 120, 120);
            g.dispose();
            ImageIO.write(img, "jpg", folder.resolve("photo-" + i + ".jpg").toFile());
        }
        return folder;
    }
}
