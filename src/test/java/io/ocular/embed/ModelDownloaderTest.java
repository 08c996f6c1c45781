package io.ocular.embed;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Downloader behaviour against a local HTTP server (never the internet). */
class ModelDownloaderTest {

    @TempDir
    Path tmp;
    private LocalFileServer server;
    private byte[] content;
    private String sha;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        content = new byte[600_000];
        new Random(7).nextBytes(content);
        sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        server.put("/model.onnx", content);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelDownloader downloader(int attempts) {
        return new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(5), attempts, Duration.ZERO);
    }

    @Test
    void fullDownloadWithProgressAndNoPartLeft() throws Exception {
        List<ModelDownloader.Progress> progress = new CopyOnWriteArrayList<>();
        Path target = tmp.resolve("models/x/model.onnx");
        downloader(1).download(server.uri("/model.onnx"), target, content.length, sha, progress::add, () -> false);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(ModelDownloader.partOf(target)).doesNotExist();
        ModelDownloader.Progress last = progress.get(progress.size() - 1);
        assertThat(last.bytes()).isEqualTo(content.length);
        assertThat(last.total()).isEqualTo(content.length);
        assertThat(last.bytesPerSecond()).isPositive();
        assertThat(server.rangeRequests()).isZero();
    }

    @Test
    void interruptedTransferIsResumedWithRange() throws Exception {
        LocalFileServer.Behaviour b = server.behaviour("/model.onnx");
        b.cutAfterBytes = 200_000;
        b.cutTimes.set(1);
        Path target = tmp.resolve("model.onnx");
        downloader(3).download(server.uri("/model.onnx"), target, content.length, sha, ModelDownloader.Listener.NONE,
                () -> false);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(server.requests).hasSize(2);
        assertThat(server.requests.get(0).range()).isNull();
        assertThat(server.requests.get(1).range()).matches("bytes=\\d+-");
        long resumedAt = Long.parseLong(server.requests.get(1).range().replaceAll("\\D", ""));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(200_000);
    }

    @Test
    void interruptedTransferKeepsItsPartAndTheNextCallResumes() throws Exception {
        LocalFileServer.Behaviour b = server.behaviour("/model.onnx");
        b.cutAfterBytes = 250_000;
        b.cutTimes.set(1);
        Path target = tmp.resolve("model.onnx");
        assertThatThrownBy(() -> downloader(1).download(server.uri("/model.onnx"), target, content.length, sha,
                ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("resume");
        Path part = ModelDownloader.partOf(target);
        assertThat(part).exists();
        assertThat(Files.size(part)).isPositive().isLessThan(content.length);
        assertThat(target).doesNotExist();
        long kept = Files.size(part);

        downloader(1).download(server.uri("/model.onnx"), target, content.length, sha, ModelDownloader.Listener.NONE,
                () -> false);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(server.requests.get(1).range()).isEqualTo("bytes=" + kept + "-");
        assertThat(part).doesNotExist();
    }

    @Test
    void serverIgnoringRangeRestartsFromZero() throws Exception {
        Path target = tmp.resolve("model.onnx");
        Files.write(ModelDownloader.partOf(target), java.util.Arrays.copyOf(content, 1000));
        server.behaviour("/model.onnx").ignoreRange = true;
        downloader(1).download(server.uri("/model.onnx"), target, content.length, sha, ModelDownloader.Listener.NONE,
                () -> false);
        assertThat(server.requests.get(0).range()).isEqualTo("bytes=1000-");
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }

    @Test
    void wrongChecksumIsRejectedAndThePreviousFileIsIntact() throws Exception {
        Path target = tmp.resolve("model.onnx");
        Files.writeString(target, "previous good model");
        String wrong = "0".repeat(64);
        assertThatThrownBy(() -> downloader(1).download(server.uri("/model.onnx"), target, content.length, wrong,
                ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("SHA-256").hasMessageContaining("nothing was installed");
        assertThat(Files.readString(target)).isEqualTo("previous good model");
        assertThat(ModelDownloader.partOf(target)).doesNotExist();
    }

    @Test
    void missingChecksumIsRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> downloader(1).download(server.uri("/model.onnx"), tmp.resolve("m"), -1, null,
                ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("checksum");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void notFoundIsAClearError() {
        assertThatThrownBy(() -> downloader(3).download(server.uri("/nope.onnx"), tmp.resolve("nope.onnx"), 10, sha,
                ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("not found").hasMessageContaining("404");
        assertThat(server.requests).hasSize(1); // a 404 is not retried
    }

    @Test
    void serverErrorIsRetriedThenReported() {
        server.behaviour("/model.onnx").status = 503;
        assertThatThrownBy(() -> downloader(2).download(server.uri("/model.onnx"), tmp.resolve("m.onnx"),
                content.length, sha, ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("HTTP 503").hasMessageContaining("later");
    }

    @Test
    void unwritableDirectoryIsAClearError() throws Exception {
        Path notADir = tmp.resolve("file");
        Files.writeString(notADir, "x");
        assertThatThrownBy(() -> downloader(1).download(server.uri("/model.onnx"), notADir.resolve("sub/m.onnx"),
                content.length, sha, ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("Cannot create the folder");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void cancelKeepsAResumablePart() throws Exception {
        LocalFileServer.Behaviour b = server.behaviour("/model.onnx");
        b.pauseBetweenWritesMillis = 2;
        AtomicBoolean cancel = new AtomicBoolean();
        Path target = tmp.resolve("model.onnx");
        assertThatThrownBy(() -> downloader(3).download(server.uri("/model.onnx"), target, content.length, sha,
                p -> {
                    if (p.bytes() > 100_000) {
                        cancel.set(true);
                    }
                }, cancel::get))
                .isInstanceOf(ModelDownloader.CancelledException.class).hasMessageContaining("resume");
        Path part = ModelDownloader.partOf(target);
        long kept = Files.size(part);
        assertThat(kept).isGreaterThan(100_000).isLessThan(content.length);
        assertThat(server.requests).hasSize(1); // cancelling does not retry

        b.pauseBetweenWritesMillis = 0;
        downloader(1).download(server.uri("/model.onnx"), target, content.length, sha, ModelDownloader.Listener.NONE,
                () -> false);
        assertThat(server.requests.get(1).range()).isEqualTo("bytes=" + kept + "-");
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }

    @Test
    void redirectsAreFollowed() throws Exception {
        server.behaviour("/old/model.onnx").redirectTo = server.uri("/model.onnx").toString();
        Path target = tmp.resolve("model.onnx");
        downloader(1).download(server.uri("/old/model.onnx"), target, content.length, sha,
                ModelDownloader.Listener.NONE, () -> false);
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }

    @Test
    void stalledServerTimesOut() {
        LocalFileServer.Behaviour b = server.behaviour("/model.onnx");
        b.cutAfterBytes = 100_000;
        b.cutTimes.set(1);
        b.stallMillis = 3_000;
        ModelDownloader d = new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofMillis(400), 1, Duration.ZERO);
        assertThatThrownBy(() -> d.download(server.uri("/model.onnx"), tmp.resolve("m.onnx"), content.length, sha,
                ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("stopped sending");
    }

    @Test
    void sizeDifferentFromTheCatalogueIsRefused() {
        assertThatThrownBy(() -> downloader(1).download(server.uri("/model.onnx"), tmp.resolve("m.onnx"), 123, sha,
                ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("123");
        assertThat(tmp.resolve("m.onnx")).doesNotExist();
    }

    @Test
    void alreadyPresentVerifiedFileIsNotDownloadedAgain() throws Exception {
        Path target = tmp.resolve("model.onnx");
        Files.write(target, content);
        downloader(1).download(server.uri("/model.onnx"), target, content.length, sha, ModelDownloader.Listener.NONE,
                () -> false);
        assertThat(server.requests).isEmpty();
    }
}
