package io.ocular.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Catalogue entry -> local HTTP server -> verified files -> installed model folder -> working encoders. */
class ModelInstallerTest {

    @TempDir
    Path tmp;
    private LocalFileServer server;
    private ModelInstaller installer;
    private Path standIn;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        standIn = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        for (String f : List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE)) {
            server.put("/clip/" + f, Files.readAllBytes(standIn.resolve(f)));
        }
        installer = new ModelInstaller(new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(5), 2,
                Duration.ZERO), ModelStore.inModelsFolder(tmp.resolve("models"), new OnnxModelInspector()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelCatalogue.Entry entry(boolean corruptText, boolean unknownChecksum) throws Exception {
        List<ModelCatalogue.FileSpec> files = new ArrayList<>();
        for (String f : List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE)) {
            Path p = standIn.resolve(f);
            String sha = ModelDownloader.sha256Of(p);
            if (corruptText && f.equals(ClipModel.TEXT_FILE)) {
                sha = "f".repeat(64);
            }
            if (unknownChecksum && f.equals(ClipModel.TOKENIZER_FILE)) {
                sha = null;
            }
            files.add(new ModelCatalogue.FileSpec(f, server.uri("/clip/" + f), Files.size(p), sha));
        }
        return new ModelCatalogue.Entry("clip-standin", "Stand-in CLIP", ModelKind.IMAGE_TEXT, files, "test", 512,
                "clip-224", null);
    }

    @Test
    void installsVerifiedFilesAndAManifestAndTheModelWorks() throws Exception {
        Path dir = installer.install(entry(false, false), ModelDownloader.Listener.NONE, () -> false);
        assertThat(dir).isEqualTo(tmp.resolve("models/clip-standin"));
        assertThat(installer.isInstalled("clip-standin")).isTrue();
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve(ModelInstaller.MANIFEST).toFile());
        assertThat(manifest.get("id").asText()).isEqualTo("clip-standin");
        assertThat(manifest.get("dimension").asInt()).isEqualTo(512);
        assertThat(manifest.get("files")).hasSize(3);
        assertThat(manifest.get("files").get(0).get("sha256").asText())
                .isEqualTo(ModelDownloader.sha256Of(dir.resolve(ClipModel.VISION_FILE)));
        try (ClipModel clip = ClipModel.open("clip-standin", ClipModel.Files3.in(dir), 512)) {
            BufferedImage red = ClipStandInTest.solid(50, 50, 0xE01010);
            float[] v = clip.imageEncoder().encode(List.of(red))[0];
            float[] t = clip.textEncoder().encodeText(List.of("red"))[0];
            assertThat(v).hasSize(512);
            double cos = 0;
            for (int i = 0; i < 512; i++) {
                cos += v[i] * t[i];
            }
            assertThat(cos).isGreaterThan(0.5);
        }
        try (var leftovers = Files.list(tmp.resolve("models/.partial"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void wrongChecksumInstallsNothingAndKeepsThePreviousInstallation() throws Exception {
        Path dir = installer.install(entry(false, false), ModelDownloader.Listener.NONE, () -> false);
        String before = ModelDownloader.sha256Of(dir.resolve(ClipModel.TEXT_FILE));
        byte[] manifestBefore = Files.readAllBytes(dir.resolve(ModelInstaller.MANIFEST));

        assertThatThrownBy(() -> installer.install(entry(true, false), ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("text_model.onnx")
                .hasMessageContaining("nothing was installed");
        assertThat(ModelDownloader.sha256Of(dir.resolve(ClipModel.TEXT_FILE))).isEqualTo(before);
        assertThat(Files.readAllBytes(dir.resolve(ModelInstaller.MANIFEST))).isEqualTo(manifestBefore);
    }

    @Test
    void wrongChecksumOnAFreshInstallLeavesNoModelFolder() throws Exception {
        assertThatThrownBy(() -> installer.install(entry(true, false), ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class);
        assertThat(installer.isInstalled("clip-standin")).isFalse();
        assertThat(tmp.resolve("models/clip-standin")).doesNotExist();
    }

    @Test
    void entryWithUnknownChecksumIsRefusedBeforeDownloading() throws Exception {
        assertThatThrownBy(() -> installer.install(entry(false, true), ModelDownloader.Listener.NONE, () -> false))
                .isInstanceOf(OcularException.class).hasMessageContaining("no SHA-256")
                .hasMessageContaining("tokenizer.json");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void cancelledInstallCanBeResumed() throws Exception {
        server.behaviour("/clip/" + ClipModel.TEXT_FILE).pauseBetweenWritesMillis = 30;
        server.behaviour("/clip/" + ClipModel.TEXT_FILE).bytesPerWrite = 4096;
        java.util.concurrent.atomic.AtomicBoolean cancel = new java.util.concurrent.atomic.AtomicBoolean();
        assertThatThrownBy(() -> installer.install(entry(false, false), p -> {
            if (p.file().equals(ClipModel.TEXT_FILE) && p.bytes() > 10_000) {
                cancel.set(true);
            }
        }, cancel::get)).isInstanceOf(ModelDownloader.CancelledException.class);
        assertThat(installer.isInstalled("clip-standin")).isFalse();

        server.behaviour("/clip/" + ClipModel.TEXT_FILE).pauseBetweenWritesMillis = 0;
        installer.install(entry(false, false), ModelDownloader.Listener.NONE, () -> false);
        assertThat(installer.isInstalled("clip-standin")).isTrue();
        assertThat(server.requests.stream().filter(r -> r.path().endsWith(ClipModel.TEXT_FILE) && r.range() != null))
                .hasSize(1);
        assertThat(server.requests.stream().filter(r -> r.path().endsWith(ClipModel.VISION_FILE))).hasSize(1);
    }
}
