package io.ocular.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's media tools that tests use to make HEIC/AVIF (libheif-examples: heif-enc) and videos (ffmpeg)
 * from the shared photos at test time; {@code .ci/run} installs them. Tests needing one call
 * {@link #require} and are skipped (with the reason) where it is missing. Nothing made is committed.
 */
public final class MediaTools {
    private MediaTools() {
    }

    /** The tool's path, skipping the calling test when it is not on the PATH. */
    public static Path require(String tool) {
        Path p = find(tool);
        Assumptions.assumeTrue(p != null, tool + " not installed (apt-get install libheif-examples ffmpeg)");
        return p;
    }

    public static Path find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs a command (argument array, no shell); fails the test with its output when it fails. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(command + " failed (" + p.exitValue() + "): " + text);
        }
        return text;
    }

    /** Encodes a JPEG/PNG as HEIC (or AVIF when {@code out} ends in .avif) with heif-enc. */
    public static Path heifEnc(Path input, Path out, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(require("heif-enc").toString(), "-q", "60"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(input.toString(), "-o", out.toString()));
        run(cmd);
        return out;
    }
}
