package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncoderRegistryTest {
    @TempDir
    Path dataDir;

    @Test
    void freshInstallOffersTheBuiltinDescriptor() {
        EncoderRegistry r = new EncoderRegistry(new ModelStore(dataDir));
        assertThat(r.available()).containsExactly(BuiltinDescriptor.info());
        try (ImageEncoder e = r.openImageEncoder("builtin-v1")) {
            assertThat(e).isInstanceOf(BuiltinDescriptor.class);
        }
        assertThatThrownBy(() -> r.openTextEncoder("builtin-v1"))
                .isInstanceOf(OcularException.class).hasMessageContaining("cannot search by text");
        assertThatThrownBy(() -> r.openImageEncoder("nope"))
                .isInstanceOf(OcularException.class).hasMessageContaining("'nope' is not installed");
    }

    @Test
    void opensInstalledCnnModels() {
        ModelStore store = new ModelStore(dataDir);
        InstalledModel m = store.importFile(ModelStoreTest.tinyCnn(), Optional.of("tiny"));
        EncoderRegistry r = new EncoderRegistry(store);

        assertThat(r.available()).extracting(ModelInfo::id).containsExactly("builtin-v1", "tiny");
        assertThat(r.info("tiny")).contains(new ModelInfo("tiny", "tiny-cnn-features", ModelKind.IMAGE, 8,
                m.manifest().files().get(0).sha256()));
        try (ImageEncoder e = r.openImageEncoder("tiny")) {
            assertThat(e).isInstanceOf(OnnxImageEncoder.class);
            assertThat(e.dimension()).isEqualTo(8);
            assertThat(e.encode(List.of(TestImages.synthetic(100, 80, 1)))[0]).hasSize(8);
        }
        assertThatThrownBy(() -> r.openTextEncoder("tiny"))
                .isInstanceOf(OcularException.class).hasMessageContaining("cannot search by text");
    }

    @Test
    void otherEncoderTypesPlugIn() {
        ModelStore store = new ModelStore(dataDir);
        ModelManifest tiny = store.importFile(ModelStoreTest.tinyCnn(), Optional.of("tiny")).manifest();
        ModelManifest both = new ModelManifest(1, "fake-clip", "Fake CLIP", ModelKind.IMAGE_TEXT, 8, "fake-clip",
                tiny.files(), null, "MIT", "test", Map.of());
        store.installFiles(both, Map.of("model.onnx", ModelStoreTest.tinyCnn()));

        EncoderRegistry plain = new EncoderRegistry(store);
        assertThat(plain.available()).extracting(ModelInfo::id).doesNotContain("fake-clip");
        assertThatThrownBy(() -> plain.openImageEncoder("fake-clip")).isInstanceOf(OcularException.class)
                .hasMessageContaining("encoder type 'fake-clip'");

        TextEncoder text = new TextEncoder() {
            public String modelId() {
                return "fake-clip";
            }

            public int dimension() {
                return 8;
            }

            public float[][] encodeText(List<String> texts) {
                return new float[texts.size()][8];
            }

            public void close() {
            }
        };
        EncoderRegistry extended = plain
                .withImageEncoder("fake-clip", m -> new OnnxImageEncoder(store.get("tiny").orElseThrow()))
                .withTextEncoder("fake-clip", m -> text);
        assertThat(extended.available()).extracting(ModelInfo::id).containsExactly("builtin-v1", "fake-clip", "tiny");
        assertThat(extended.openTextEncoder("fake-clip")).isSameAs(text);
        try (ImageEncoder e = extended.openImageEncoder("fake-clip")) {
            assertThat(e.encode(List.of(new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB)))).hasNumberOfRows(1);
        }
    }

    @Test
    void modelsInstalledFromTheCatalogueAreListedAndOpened() throws Exception {
        Path standIn = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        ModelStore store = new ModelStore(dataDir);
        List<ModelCatalogue.FileSpec> clipFiles = new java.util.ArrayList<>();
        List<ModelCatalogue.FileSpec> cnnFiles = new java.util.ArrayList<>();
        try (LocalFileServer server = new LocalFileServer()) {
            for (String f : List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE)) {
                Path p = standIn.resolve(f);
                server.put("/clip/" + f, java.nio.file.Files.readAllBytes(p));
                clipFiles.add(new ModelCatalogue.FileSpec(f, server.uri("/clip/" + f), java.nio.file.Files.size(p),
                        ModelDownloader.sha256Of(p)));
            }
            Path cnn = ModelStoreTest.tinyCnn();
            server.put("/cnn/tiny.onnx", java.nio.file.Files.readAllBytes(cnn));
            cnnFiles.add(new ModelCatalogue.FileSpec("tiny.onnx", server.uri("/cnn/tiny.onnx"),
                    java.nio.file.Files.size(cnn), ModelDownloader.sha256Of(cnn)));
            ModelInstaller installer = new ModelInstaller(new ModelDownloader(ModelDownloader.defaultClient(),
                    java.time.Duration.ofSeconds(5), 2, java.time.Duration.ZERO), store);
            installer.install(new ModelCatalogue.Entry("clip-standin", "Stand-in CLIP", ModelKind.IMAGE_TEXT,
                    clipFiles, "test", 512, "clip-224", null), ModelDownloader.Listener.NONE, () -> false);
            installer.install(new ModelCatalogue.Entry("tiny-cnn", "Tiny CNN", ModelKind.IMAGE,
                    cnnFiles, "test", 8, "imagenet-multiple-of-32", null), ModelDownloader.Listener.NONE, () -> false);
        }

        EncoderRegistry r = new EncoderRegistry(store);
        assertThat(r.available()).extracting(ModelInfo::id).containsExactly("builtin-v1", "clip-standin", "tiny-cnn");
        assertThat(store.get("clip-standin").orElseThrow().manifest().encoder()).isEqualTo(ModelManifest.ENCODER_CLIP);
        try (ImageEncoder img = r.openImageEncoder("clip-standin"); TextEncoder txt = r.openTextEncoder("clip-standin")) {
            assertThat(img).isInstanceOf(ClipImageEncoder.class);
            assertThat(img.encode(List.of(TestImages.synthetic(64, 48, 3)))[0]).hasSize(512);
            assertThat(txt.encodeText(List.of("a red square"))[0]).hasSize(512);
        }
        try (ImageEncoder cnn = r.openImageEncoder("tiny-cnn")) {
            assertThat(cnn).isInstanceOf(OnnxImageEncoder.class);
            assertThat(cnn.encode(List.of(TestImages.synthetic(64, 48, 3)))[0]).hasSize(8);
        }
    }
}
