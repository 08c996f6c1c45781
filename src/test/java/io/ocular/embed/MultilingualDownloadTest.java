package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The catalogue install path for a text tower with one ONNX variant per processor: only this machine's
 * variant is downloaded (the other's URL does not even exist on the local server), it is verified and
 * installed as a TEXT companion of the CLIP entry of the same space, and searches CLIP's image vectors.
 */
class MultilingualDownloadTest {

    @TempDir
    Path dataDir;
    private LocalFileServer server;
    private ModelStore store;
    private ModelInstaller installer;
    private Path clip;
    private Path ml;

    @BeforeEach
    void start() throws Exception {
        server = new LocalFileServer();
        clip = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        ml = MultilingualStandInTest.standInDir();
        for (String f : List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE)) {
            server.put("/clip/" + f, Files.readAllBytes(clip.resolve(f)));
        }
        server.put("/ml/onnx/model_mine.onnx", Files.readAllBytes(ml.resolve("text_model.onnx")));
        server.put("/ml/2_Dense/model.safetensors", Files.readAllBytes(ml.resolve("dense.safetensors")));
        server.put("/ml/tokenizer.json", Files.readAllBytes(ml.resolve("tokenizer.json")));
        store = new ModelStore(dataDir);
        installer = new ModelInstaller(new ModelDownloader(ModelDownloader.defaultClient(), Duration.ofSeconds(5), 2,
                Duration.ZERO), store);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ModelCatalogue.FileSpec spec(String name, String url, Path p, String arch) throws Exception {
        return new ModelCatalogue.FileSpec(name, server.uri(url), Files.size(p), ModelFilesImporterTest.sha256(p), arch);
    }

    @Test
    void onlyThisProcessorsVariantIsDownloadedAndTheTowerPairsWithClip() throws Exception {
        String mine = ModelCatalogue.machineArch();
        String other = mine.equals(ModelCatalogue.X86_64) ? ModelCatalogue.ARM64 : ModelCatalogue.X86_64;
        ModelCatalogue.Entry clipEntry = new ModelCatalogue.Entry("clip-standin", "Stand-in CLIP", ModelKind.IMAGE_TEXT,
                List.of(spec(ClipModel.VISION_FILE, "/clip/" + ClipModel.VISION_FILE, clip.resolve(ClipModel.VISION_FILE), null),
                        spec(ClipModel.TEXT_FILE, "/clip/" + ClipModel.TEXT_FILE, clip.resolve(ClipModel.TEXT_FILE), null),
                        spec(ClipModel.TOKENIZER_FILE, "/clip/" + ClipModel.TOKENIZER_FILE,
                                clip.resolve(ClipModel.TOKENIZER_FILE), null)),
                "MIT", 512, ModelManifest.CATALOGUE_CLIP_224, null, "r1", "standin-space", Map.of(), Map.of());
        ModelCatalogue.Entry mlEntry = new ModelCatalogue.Entry("ml-standin", "Stand-in multilingual", ModelKind.TEXT,
                List.of(spec(MultilingualTextEncoder.MODEL_FILE, "/ml/onnx/model_mine.onnx", ml.resolve("text_model.onnx"), mine),
                        new ModelCatalogue.FileSpec(MultilingualTextEncoder.MODEL_FILE,
                                server.uri("/ml/onnx/model_other.onnx"), 999, "1".repeat(64), other),
                        spec(MultilingualTextEncoder.DENSE_FILE, "/ml/2_Dense/model.safetensors",
                                ml.resolve("dense.safetensors"), null),
                        spec(MultilingualTextEncoder.TOKENIZER_FILE, "/ml/tokenizer.json", ml.resolve("tokenizer.json"), null)),
                "Apache-2.0", 512, MultilingualTextEncoder.ENCODER, URI.create("https://example.org/ml"), "r2",
                "standin-space", Map.of("input_ids", "int64 [batch, sequence]"), Map.of());
        new ModelCatalogue(List.of(clipEntry, mlEntry)); // validates: two variants of one name are allowed

        installer.install(clipEntry, p -> { }, () -> false);
        InstalledModel installed = installer.installModel(mlEntry, p -> { }, () -> false);
        assertThat(installed.manifest().kind()).isEqualTo(ModelKind.TEXT);
        assertThat(installed.manifest().files()).hasSize(3);
        assertThat(installed.manifest().properties()).containsEntry(TokenIdType.PROPERTY, "int64")
                .containsEntry(EmbeddingSpaces.PROPERTY, "standin-space");
        assertThat(mlEntry.totalSize()).isEqualTo(Files.size(ml.resolve("text_model.onnx"))
                + Files.size(ml.resolve("dense.safetensors")) + Files.size(ml.resolve("tokenizer.json")));

        EncoderRegistry registry = new EncoderRegistry(store);
        assertThat(registry.textModelsFor("clip-standin")).extracting(ModelInfo::id)
                .containsExactly("clip-standin", "ml-standin");
        try (ImageEncoder images = registry.openImageEncoder("clip-standin");
             TextTowers towers = registry.openTextTowers("clip-standin", "ml-standin").orElseThrow()) {
            float[] blue = images.encode(List.of(ClipStandInTest.solid(80, 60, 0x2030D0)))[0];
            float[] red = images.encode(List.of(ClipStandInTest.solid(80, 60, 0xD03020)))[0];
            float[][] q = towers.encodeText(List.of("바닷가의 강아지", "a dog on the beach"));
            assertThat(ModelFilesImporterTest.VectorsDot.dot(q[0], q[1])).isGreaterThan(0.8);
            for (float[] v : q) {
                assertThat(ModelFilesImporterTest.VectorsDot.dot(v, blue))
                        .isGreaterThan(ModelFilesImporterTest.VectorsDot.dot(v, red));
            }
            towers.use("clip-standin");
            assertThat(towers.encodeText(List.of("blue"))[0]).hasSize(512);
            assertThat(Math.sqrt(ModelFilesImporterTest.VectorsDot.dot(q[0], q[0]))).isCloseTo(1.0, offset(1e-5));
        }
    }
}
