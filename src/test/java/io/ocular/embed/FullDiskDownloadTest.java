package io.ocular.embed;

import io.ocular.model.OcularException;
import io.ocular.testing.Mounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model download onto a disk that is or becomes full (a small tmpfs, as root; skipped where mounting is not
 * allowed): refused up front when the disk is too small; when another program fills it mid-download, a clear
 * message, the part downloaded so far kept, nothing installed; with space back, the next download resumes from
 * the part (HTTP Range) and installs the checked file.
 */
class FullDiskDownloadTest {
    @TempDir
    Path tmp;
    private LocalFileServer server;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aDiskFillingUpMidDownloadKeepsThePartInstallsNothingAndTheNextDownloadResumes() throws Exception {
        byte[] content = new byte[600_000];
        new Random(16).nextBytes(content);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        LocalFileServer.Behaviour slow = server.put("/model.onnx", content);
        slow.pauseBetweenWritesMillis = 5; // 8 KB every 5 ms: the disk fills while it runs
        Path models = tmp.resolve("models");
        Mounts.requireTmpfs(models, "256k");
        try {
            Path target = models.resolve("clip/model.onnx");
            ModelDownloader downloader = new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(5), 1,
                    Duration.ZERO);
            // too little space from the start: refused before any byte is fetched
            assertThatThrownBy(() -> downloader.download(server.uri("/model.onnx"), target, content.length, sha,
                    ModelDownloader.Listener.NONE, () -> false))
                    .isInstanceOf(OcularException.class).hasMessageContaining("Not enough disk space");
            assertThat(server.requests).isEmpty();
            assertThat(target).doesNotExist();

            // enough at the start, then another program fills the disk mid-download
            assertThat(Mounts.remount(models, "size=1m")).isTrue();
            Path filler = models.resolve("someone-elses-file");
            AtomicBoolean filled = new AtomicBoolean();
            assertThatThrownBy(() -> downloader.download(server.uri("/model.onnx"), target, content.length, sha,
                    p -> {
                        if (p.bytes() > 100_000 && filled.compareAndSet(false, true)) {
                            fill(filler);
                        }
                    }, () -> false))
                    .isInstanceOf(OcularException.class)
                    .hasMessageContaining("The disk is full").hasMessageContaining("Free some space and try again")
                    .hasMessageContaining("the part downloaded so far is kept");
            Path part = ModelDownloader.partOf(target);
            assertThat(part).exists();
            long kept = Files.size(part);
            assertThat(kept).isGreaterThanOrEqualTo(100_000).isLessThan(content.length);
            assertThat(target).as("nothing installed").doesNotExist();

            Files.delete(filler); // space freed
            slow.pauseBetweenWritesMillis = 0;
            downloader.download(server.uri("/model.onnx"), target, content.length, sha, ModelDownloader.Listener.NONE,
                    () -> false);
            assertThat(Files.readAllBytes(target)).isEqualTo(content);
            assertThat(server.requests.get(server.requests.size() - 1).range()).isEqualTo("bytes=" + kept + "-");
            assertThat(part).doesNotExist();
        } finally {
            Mounts.unmount(models);
        }
    }

    /** Writes until the disk is full. */
    private static void fill(Path file) {
        byte[] block = new byte[16 << 10];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // "No space left on device": done
        }
    }
}
