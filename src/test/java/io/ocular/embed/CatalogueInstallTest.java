package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The one install path: catalogue entry → local HTTP server → {@link ModelInstaller} download →
 * {@link ModelStore#installDownloaded} → listed by the store → opened by the {@link EncoderRegistry}.
 */
class CatalogueInstallTest {
    private static final List<String> CLIP_FILES = List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE,
            ClipModel.TOKENIZER_FILE);

    @TempDir
    Path dataDir;
    private LocalFileServer server;
    private ModelStore store;
    private ModelInstaller installer;
    private Path standIn;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        standIn = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        for (String f : CLIP_FILES) {
            server.put("/clip/" + f, Files.readAllBytes(standIn.resolve(f)));
        }
        server.put("/cnn/tiny.onnx", Files.readAllBytes(ModelStoreTest.tinyCnn()));
        store = new ModelStore(dataDir);
        installer = new ModelInstaller(new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(5), 2,
                Duration.ZERO), store);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelCatalogue.Entry clip(String name) throws Exception {
        List<ModelCatalogue.FileSpec> files = new ArrayList<>();
        for (String f : CLIP_FILES) {
            Path p = standIn.resolve(f);
            files.add(new ModelCatalogue.FileSpec(f, server.uri("/clip/" + f), Files.size(p), sha256(p)));
        }
        return new ModelCatalogue.Entry("clip-standin", name, ModelKind.IMAGE_TEXT, files, "MIT", 512,
                ModelManifest.CATALOGUE_CLIP_224, null);
    }

    private ModelCatalogue.Entry cnn(int dimension) throws Exception {
        Path p = ModelStoreTest.tinyCnn();
        return new ModelCatalogue.Entry("tiny-cnn", "Tiny CNN", ModelKind.IMAGE,
                List.of(new ModelCatalogue.FileSpec("tiny.onnx", server.uri("/cnn/tiny.onnx"), Files.size(p), sha256(p))),
                "Apache-2.0", dimension, ModelManifest.CATALOGUE_IMAGENET_32, null);
    }

    @Test
    void downloadedEntriesAreListedWithKindDimensionAndShaAndOpenedByTheRegistry() throws Exception {
        InstalledModel clip = installer.installModel(clip("Stand-in CLIP"), ModelDownloader.Listener.NONE, () -> false);
        installer.install(cnn(8), ModelDownloader.Listener.NONE, () -> false);

        assertThat(clip.directory()).isEqualTo(store.root().resolve("clip-standin"));
        // the model's identity, computed here independently of ModelManifest.combinedSha256
        StringBuilder lines = new StringBuilder();
        CLIP_FILES.stream().sorted().forEach(f -> lines.append(f).append(':').append(sha256(standIn.resolve(f))).append('\n'));
        String clipSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(lines.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(store.list()).extracting(m -> m.manifest().toModelInfo()).containsExactly(
                new ModelInfo("clip-standin", "Stand-in CLIP", ModelKind.IMAGE_TEXT, 512, clipSha),
                new ModelInfo("tiny-cnn", "Tiny CNN", ModelKind.IMAGE, 8, sha256(ModelStoreTest.tinyCnn())));
        ModelManifest mf = store.get("clip-standin").orElseThrow().manifest();
        assertThat(mf.formatVersion()).isEqualTo(ModelManifest.FORMAT_VERSION);
        assertThat(mf.encoder()).isEqualTo(ModelManifest.ENCODER_CLIP);
        assertThat(mf.licence()).isEqualTo("MIT");
        assertThat(mf.source()).isEqualTo(server.uri("/clip/" + ClipModel.VISION_FILE).toString());
        assertThat(store.get("tiny-cnn").orElseThrow().manifest().encoder()).isEqualTo(ModelManifest.ENCODER_CNN_AVGPOOL);
        for (String f : CLIP_FILES) {
            assertThat(sha256(clip.file(f))).isEqualTo(sha256(standIn.resolve(f)));
        }
        // the download area is emptied, nothing else is left beside the models
        assertThat(hiddenEntries()).containsExactly(ModelInstaller.PARTIAL_DIR);
        assertThat(installer.downloadDir("clip-standin")).doesNotExist();

        EncoderRegistry r = new EncoderRegistry(store);
        assertThat(r.available()).extracting(ModelInfo::id).containsExactly("builtin-v1", "clip-standin", "tiny-cnn");
        try (ImageEncoder img = r.openImageEncoder("clip-standin"); TextEncoder txt = r.openTextEncoder("clip-standin");
             ImageEncoder tiny = r.openImageEncoder("tiny-cnn")) {
            float[] red = img.encode(List.of(ClipStandInTest.solid(50, 50, 0xE01010)))[0];
            float[] word = txt.encodeText(List.of("red"))[0];
            assertThat(dot(red, word)).isGreaterThan(0.5);
            assertThat(tiny.encode(List.of(TestImages.synthetic(64, 48, 3)))[0]).hasSize(8);
        }
    }

    @Test
    void anInterruptedInstallLeavesNothingListed() throws Exception {
        // 1. cancelled during the download
        server.behaviour("/clip/" + ClipModel.TEXT_FILE).bytesPerWrite = 4096;
        server.behaviour("/clip/" + ClipModel.TEXT_FILE).pauseBetweenWritesMillis = 20;
        AtomicBoolean cancel = new AtomicBoolean();
        assertThatThrownBy(() -> installer.install(clip("Stand-in CLIP"), p -> {
            if (p.file().equals(ClipModel.TEXT_FILE) && p.bytes() > 8_000) {
                cancel.set(true);
            }
        }, cancel::get)).isInstanceOf(ModelDownloader.CancelledException.class);
        assertThat(store.list()).isEmpty();
        assertThat(installer.isInstalled("clip-standin")).isFalse();
        assertThat(store.root().resolve("clip-standin")).doesNotExist();
        assertThat(installer.downloadDir("clip-standin").resolve(ClipModel.VISION_FILE)).isRegularFile();

        // 2. the files download fine but the model fails the store's check (the catalogue's dimension is wrong):
        //    nothing is installed, and the verified download is kept (a retry needs no new download)
        assertThatThrownBy(() -> installer.install(cnn(16), ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("produces 8-dimensional vectors");
        assertThat(store.list()).isEmpty();
        assertThat(installer.downloadDir("tiny-cnn").resolve("tiny.onnx")).isRegularFile();
        assertThat(hiddenEntries()).containsExactly(ModelInstaller.PARTIAL_DIR);

        // 3. a crash while the store was building the model (a staging folder with every file and a
        //    manifest, not yet renamed into place): opening the store again cleans it up and lists nothing
        Path staging = Files.createDirectory(store.root().resolve(".staging-0123456789abcdef0123456789abcdef"));
        for (String f : CLIP_FILES) {
            Files.copy(standIn.resolve(f), staging.resolve(f));
        }
        Files.writeString(staging.resolve(ModelStore.MANIFEST),
                new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                        ModelManifest.fromCatalogue(clip("Stand-in CLIP"))));
        ModelStore reopened = new ModelStore(dataDir);
        assertThat(reopened.list()).isEmpty();
        assertThat(new EncoderRegistry(reopened).available()).extracting(ModelInfo::id).containsExactly("builtin-v1");
        assertThat(staging).doesNotExist();
        // the resumable downloads survive the recovery
        assertThat(installer.downloadDir("clip-standin").resolve(ClipModel.VISION_FILE)).isRegularFile();

        // and the interrupted CLIP install resumes and completes
        server.behaviour("/clip/" + ClipModel.TEXT_FILE).pauseBetweenWritesMillis = 0;
        installer.install(clip("Stand-in CLIP"), ModelDownloader.Listener.NONE, () -> false);
        assertThat(reopened.list()).extracting(m -> m.manifest().id()).containsExactly("clip-standin");
        assertThat(server.requests.stream().filter(q -> q.path().endsWith(ClipModel.VISION_FILE))).hasSize(1);
    }

    @Test
    void aReinstallKeepsTheOldModelWorkingUntilTheNewOneIsComplete() throws Exception {
        installer.install(clip("Stand-in CLIP v1"), ModelDownloader.Listener.NONE, () -> false);
        EncoderRegistry r = new EncoderRegistry(store);
        try (ImageEncoder openBefore = r.openImageEncoder("clip-standin")) {
            float[] before = openBefore.encode(List.of(ClipStandInTest.solid(40, 40, 0x10E010)))[0];

            // while v2 downloads, the store still lists v1 and a fresh encoder for it opens and works
            AtomicBoolean checked = new AtomicBoolean();
            installer.install(clip("Stand-in CLIP v2"), p -> {
                if (p.file().equals(ClipModel.TEXT_FILE) && checked.compareAndSet(false, true)) {
                    assertThat(store.get("clip-standin").orElseThrow().manifest().name()).isEqualTo("Stand-in CLIP v1");
                    try (TextEncoder t = r.openTextEncoder("clip-standin")) {
                        assertThat(t.encodeText(List.of("green"))[0]).hasSize(512);
                    }
                }
            }, () -> false);
            assertThat(checked).isTrue();
            assertThat(store.list()).extracting(m -> m.manifest().name()).containsExactly("Stand-in CLIP v2");

            // a cancelled v3 changes nothing either
            AtomicBoolean cancel = new AtomicBoolean();
            assertThatThrownBy(() -> installer.install(clip("Stand-in CLIP v3"), p -> cancel.set(true), cancel::get))
                    .isInstanceOf(ModelDownloader.CancelledException.class);
            assertThat(store.list()).extracting(m -> m.manifest().name()).containsExactly("Stand-in CLIP v2");

            // the encoder opened before the replacement keeps working
            assertThat(openBefore.encode(List.of(ClipStandInTest.solid(40, 40, 0x10E010)))[0]).containsExactly(before);
        }
        try (ImageEncoder after = r.openImageEncoder("clip-standin")) {
            assertThat(after.encode(List.of(ClipStandInTest.solid(40, 40, 0x10E010)))[0]).hasSize(512);
        }
        assertThat(hiddenEntries()).containsExactly(ModelInstaller.PARTIAL_DIR);
    }

    @Test
    void removeRefusesTheActiveModel() throws Exception {
        installer.install(cnn(8), ModelDownloader.Listener.NONE, () -> false);
        assertThatThrownBy(() -> installer.remove("tiny-cnn", "tiny-cnn"))
                .isInstanceOf(OcularException.class).hasMessageContaining("'tiny-cnn' is the active model");
        assertThatThrownBy(() -> store.remove("tiny-cnn", "tiny-cnn"))
                .isInstanceOf(OcularException.class).hasMessageContaining("Make another model active first");
        assertThat(installer.isInstalled("tiny-cnn")).isTrue();

        assertThat(installer.remove("tiny-cnn", "builtin-v1")).isTrue();
        assertThat(installer.isInstalled("tiny-cnn")).isFalse();
        assertThat(store.root().resolve("tiny-cnn")).doesNotExist();
        assertThat(installer.remove("tiny-cnn", null)).isFalse();
    }

    @Test
    void removeCancelsARunningDownloadOfThatModelFirst() throws Exception {
        installer.install(clip("Stand-in CLIP v1"), ModelDownloader.Listener.NONE, () -> false);
        server.behaviour("/clip/" + ClipModel.TEXT_FILE).bytesPerWrite = 1024;
        server.behaviour("/clip/" + ClipModel.TEXT_FILE).pauseBetweenWritesMillis = 50;
        CountDownLatch downloading = new CountDownLatch(1);
        ModelCatalogue.Entry v2 = clip("Stand-in CLIP v2");
        CompletableFuture<Path> reinstall = CompletableFuture.supplyAsync(() -> installer.install(v2, p -> {
            if (p.file().equals(ClipModel.TEXT_FILE)) {
                downloading.countDown();
            }
        }, () -> false));
        assertThat(downloading.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(installer.isDownloading("clip-standin")).isTrue();
        assertThatThrownBy(() -> installer.install(v2, ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("already being downloaded");

        // refusing the active model cancels nothing
        assertThatThrownBy(() -> installer.remove("clip-standin", "clip-standin")).isInstanceOf(OcularException.class);
        assertThat(installer.isDownloading("clip-standin")).isTrue();

        assertThat(installer.remove("clip-standin", "builtin-v1")).isTrue();
        assertThatThrownBy(() -> reinstall.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(ModelDownloader.CancelledException.class);
        assertThat(installer.isDownloading("clip-standin")).isFalse();
        assertThat(store.list()).isEmpty();
        assertThat(installer.downloadDir("clip-standin")).doesNotExist();
    }

    // ------------------------------------------------------------------ helpers

    private List<String> hiddenEntries() {
        try (Stream<Path> s = Files.list(store.root())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static String sha256(Path p) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
