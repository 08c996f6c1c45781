package io.ocular.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real mounts for hostile-storage tests (a small tmpfs, a bind mount, read-only remounts, unmounting): only as
 * root where mounting is allowed; tests call {@link #require} and are skipped elsewhere.
 */
public final class Mounts {
    private Mounts() {
    }

    /** Runs a command; true when it exited with 0 within 30 s (its output goes to stderr otherwise). */
    public static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                System.err.println(String.join(" ", cmd) + ": " + out);
            }
            return ok;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Mounts a tmpfs of {@code size} (e.g. "1m") at {@code at}, or skips the test where that is not allowed. */
    public static void requireTmpfs(Path at, String size) throws IOException {
        Files.createDirectories(at);
        assumeTrue("root".equals(System.getProperty("user.name"))
                && run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString()), "cannot mount a tmpfs here");
    }

    /** Bind-mounts {@code source} at {@code at}, or skips the test. */
    public static void requireBind(Path source, Path at) throws IOException {
        Files.createDirectories(at);
        assumeTrue("root".equals(System.getProperty("user.name"))
                && run("mount", "--bind", source.toString(), at.toString()), "cannot bind-mount here");
    }

    public static boolean remount(Path at, String options) {
        return run("mount", "-o", "remount," + options, at.toString());
    }

    /** Lazy unmount: gone for new lookups at once, like an unplugged drive. */
    public static boolean unmount(Path at) {
        return run("umount", "-l", at.toString());
    }
}
