package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** Importing hand-downloaded folders and files, with the stand-in CLIP and multilingual towers. */
class ModelFilesImporterTest {

    @TempDir
    Path tmp;
    private Path clip;
    private Path ml;
    private ModelStore store;

    @BeforeEach
    void setUp() throws URISyntaxException {
        clip = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        ml = MultilingualStandInTest.standInDir();
        store = new ModelStore(tmp.resolve("data"));
    }

    /** The stand-in CLIP in Hugging Face's layout (Xenova/clip-vit-base-patch32), plus files to ignore. */
    private Path clipRepo(String name) throws IOException {
        Path repo = tmp.resolve(name);
        Files.createDirectories(repo.resolve("onnx"));
        Files.copy(clip.resolve("vision_model.onnx"), repo.resolve("onnx/vision_model.onnx"));
        Files.copy(clip.resolve("vision_model_dim256.onnx"), repo.resolve("onnx/vision_model_fp16.onnx"));
        Files.copy(clip.resolve("text_model.onnx"), repo.resolve("onnx/text_model.onnx"));
        Files.copy(clip.resolve("tokenizer.json"), repo.resolve("tokenizer.json"));
        Files.writeString(repo.resolve("config.json"), "{\"model_type\": \"clip\"}");
        Files.writeString(repo.resolve("README.md"), "# CLIP");
        return repo;
    }

    /** The stand-in multilingual tower in sentence-transformers' layout. */
    private Path multilingualRepo(boolean withDense) throws IOException {
        Path repo = tmp.resolve("clip-ViT-B-32-multilingual-v1");
        Files.createDirectories(repo.resolve("onnx"));
        Files.createDirectories(repo.resolve("2_Dense"));
        Files.copy(ml.resolve("text_model.onnx"), repo.resolve("onnx/model.onnx"));
        if (withDense) {
            Files.copy(ml.resolve("dense.safetensors"), repo.resolve("2_Dense/model.safetensors"));
        }
        Files.writeString(repo.resolve("2_Dense/config.json"), "{\"in_features\":768,\"out_features\":512,\"bias\":false}");
        Files.copy(ml.resolve("tokenizer.json"), repo.resolve("tokenizer.json"));
        return repo;
    }

    private ModelFilesImporter importer() {
        return new ModelFilesImporter(store, ModelCatalogue.builtIn());
    }

    @Test
    void aClipFolderInHuggingFaceLayoutInstallsAsAClipModelThatSearchesByWords() throws IOException {
        Path repo = clipRepo("clip-vit-base-patch32");
        List<InstalledModel> got = importer().importPaths(List.of(repo), Optional.empty(), Optional.empty());
        assertThat(got).singleElement().satisfies(m -> {
            assertThat(m.manifest().id()).isEqualTo("clip-vit-base-patch32");
            assertThat(m.manifest().name()).contains("CLIP").contains("clip-vit-base-patch32");
            assertThat(m.manifest().kind()).isEqualTo(ModelKind.IMAGE_TEXT);
            assertThat(m.manifest().dimension()).isEqualTo(512);
            assertThat(m.directory().resolve(ClipModel.VISION_FILE)).hasSameBinaryContentAs(clip.resolve("vision_model.onnx"));
        });
        EncoderRegistry r = new EncoderRegistry(store);
        try (ImageEncoder img = r.openImageEncoder("clip-vit-base-patch32");
             TextEncoder txt = r.openTextEncoder("clip-vit-base-patch32")) {
            float[] red = txt.encodeText(List.of("red"))[0];
            float[] redImage = img.encode(List.of(ClipStandInTest.solid(64, 64, 0xE01010)))[0];
            float[] blueImage = img.encode(List.of(ClipStandInTest.solid(64, 64, 0x1010E0)))[0];
            assertThat(VectorsDot.dot(red, redImage)).isGreaterThan(VectorsDot.dot(red, blueImage));
        }
        // importing again does not replace the first one
        List<InstalledModel> again = importer().importPaths(List.of(repo), Optional.empty(), Optional.empty());
        assertThat(again.get(0).manifest().id()).isEqualTo("clip-vit-base-patch32-2");
    }

    @Test
    void severalFilesWorkLikeAFolderAndAVisionFileAloneIsAnImageOnlyClip() throws IOException {
        Path repo = clipRepo("x");
        List<InstalledModel> got = importer().importPaths(List.of(repo.resolve("onnx/vision_model.onnx"),
                repo.resolve("onnx/text_model.onnx"), repo.resolve("tokenizer.json")), Optional.of("my-clip"), Optional.empty());
        assertThat(got).singleElement().satisfies(m -> assertThat(m.manifest().id()).isEqualTo("my-clip"));

        List<InstalledModel> vision = importer().importPaths(List.of(repo.resolve("onnx/vision_model.onnx")),
                Optional.empty(), Optional.empty());
        assertThat(vision).singleElement().satisfies(m -> {
            assertThat(m.manifest().kind()).isEqualTo(ModelKind.IMAGE);
            assertThat(m.manifest().name()).contains("image model only");
        });
    }

    @Test
    void filesMatchingACatalogueEntryBySha256InstallAsThatEntry() throws Exception {
        Path repo = clipRepo("downloaded");
        List<ModelCatalogue.FileSpec> files = List.of(
                spec(ClipModel.VISION_FILE, repo.resolve("onnx/vision_model.onnx"), null),
                spec(ClipModel.TEXT_FILE, repo.resolve("onnx/text_model.onnx"), null),
                spec(ClipModel.TOKENIZER_FILE, repo.resolve("tokenizer.json"), null));
        ModelCatalogue.Entry clipEntry = new ModelCatalogue.Entry("clip-test", "Test CLIP", ModelKind.IMAGE_TEXT, files,
                "MIT", 512, ModelManifest.CATALOGUE_CLIP_224, URI.create("https://example.org/clip"), "rev1", "test-space",
                Map.of(), Map.of());
        Path mlRepo = multilingualRepo(true);
        List<ModelCatalogue.FileSpec> mlFiles = List.of(
                spec(MultilingualTextEncoder.MODEL_FILE, mlRepo.resolve("onnx/model.onnx"), ModelCatalogue.ARM64),
                new ModelCatalogue.FileSpec(MultilingualTextEncoder.MODEL_FILE, URI.create("https://example.org/x86"),
                        123, "0".repeat(64), ModelCatalogue.X86_64),
                spec(MultilingualTextEncoder.DENSE_FILE, mlRepo.resolve("2_Dense/model.safetensors"), null),
                spec(MultilingualTextEncoder.TOKENIZER_FILE, mlRepo.resolve("tokenizer.json"), null));
        ModelCatalogue.Entry mlEntry = new ModelCatalogue.Entry("ml-test", "Test multilingual", ModelKind.TEXT, mlFiles,
                "Apache-2.0", 512, MultilingualTextEncoder.ENCODER, null, "rev2", "test-space",
                Map.of("input_ids", "int64 [batch, sequence]"), Map.of());
        ModelFilesImporter importer = new ModelFilesImporter(store, new ModelCatalogue(List.of(clipEntry, mlEntry)));

        List<InstalledModel> got = importer.importPaths(List.of(repo, mlRepo), Optional.empty(), Optional.empty());
        assertThat(got).extracting(m -> m.manifest().id()).containsExactly("clip-test", "ml-test");
        assertThat(got.get(0).manifest().properties()).containsEntry(EmbeddingSpaces.PROPERTY, "test-space");
        assertThat(got.get(0).manifest().source()).isEqualTo("https://example.org/clip");
        // the arm64 variant was the one given: it installs (verified) even on another processor
        assertThat(got.get(1).manifest().file(MultilingualTextEncoder.MODEL_FILE).orElseThrow().sha256())
                .isEqualTo(sha256(mlRepo.resolve("onnx/model.onnx")));

        EncoderRegistry r = new EncoderRegistry(store);
        assertThat(r.textModelsFor("clip-test")).extracting(ModelInfo::id).containsExactly("clip-test", "ml-test");
    }

    @Test
    void aMultilingualFolderInstallsAsATextModelOfClipsSpaceAndPairsWithClip() throws IOException {
        Path clipFolder = clipRepo("clip-vit-base-patch32");
        importer().importPaths(List.of(clipFolder), Optional.of("clip"), Optional.of(ModelFilesImporter.CLIP_B32_SPACE));
        List<InstalledModel> got = importer().importPaths(List.of(multilingualRepo(true)), Optional.empty(),
                Optional.empty());
        InstalledModel m = got.get(0);
        assertThat(m.manifest().id()).isEqualTo("clip-vit-b-32-multilingual-v1-text");
        assertThat(m.manifest().kind()).isEqualTo(ModelKind.TEXT);
        assertThat(m.manifest().encoder()).isEqualTo(MultilingualTextEncoder.ENCODER);
        assertThat(m.manifest().properties()).containsEntry(EmbeddingSpaces.PROPERTY, ModelFilesImporter.CLIP_B32_SPACE);

        EncoderRegistry r = new EncoderRegistry(store);
        assertThat(r.textModelsFor("clip")).extracting(ModelInfo::id).containsExactly("clip", m.manifest().id());
        try (TextTowers towers = r.openTextTowers("clip", m.manifest().id()).orElseThrow();
             MultilingualTextEncoder direct = MultilingualTextEncoder.open(m)) {
            assertThat(towers.current()).isEqualTo(m.manifest().id());
            assertThat(towers.modelId()).isEqualTo("clip");
            assertThat(towers.encodeText(List.of("바닷가의 강아지"))[0])
                    .containsExactly(direct.encodeText(List.of("바닷가의 강아지"))[0], offset(1e-6f));
            towers.use("clip");
            assertThat(towers.current()).isEqualTo("clip");
            assertThatThrownBy(() -> towers.use("builtin-v1")).isInstanceOf(OcularException.class)
                    .hasMessageContaining("another vector space").hasMessageContaining(m.manifest().id());
            assertThat(towers.current()).isEqualTo("clip");
        }
        assertThatThrownBy(() -> r.openImageEncoder(m.manifest().id())).isInstanceOf(OcularException.class)
                .hasMessageContaining("text model only");
    }

    @Test
    void whatCannotBeUsedIsRefusedSayingWhatWasExpected() throws IOException {
        Path noDense = multilingualRepo(false);
        assertThatThrownBy(() -> importer().importPaths(List.of(noDense), Optional.empty(), Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("Dense").hasMessageContaining("safetensors");

        Path junk = tmp.resolve("junk");
        Files.createDirectories(junk);
        Files.write(junk.resolve("weights.onnx"), new byte[] {1, 2, 3, 4, 5});
        Files.writeString(junk.resolve("tokenizer.json"), "{not json");
        assertThatThrownBy(() -> importer().importPaths(List.of(junk), Optional.empty(), Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("Ocular can import")
                .hasMessageContaining("weights.onnx");

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> importer().importPaths(List.of(empty), Optional.empty(), Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("Found no model files");
        assertThatThrownBy(() -> importer().importPaths(List.of(tmp.resolve("nope")), Optional.empty(), Optional.empty()))
                .isInstanceOf(OcularException.class).hasMessageContaining("not found");
        assertThat(store.list()).isEmpty();
    }

    private static ModelCatalogue.FileSpec spec(String name, Path p, String arch) throws IOException {
        return new ModelCatalogue.FileSpec(name, URI.create("https://example.org/" + name), Files.size(p), sha256(p), arch);
    }

    static String sha256(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(in.readAllBytes());
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Dot product for the assertions. */
    static final class VectorsDot {
        static double dot(float[] a, float[] b) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
                s += a[i] * b[i];
            }
            return s;
        }
    }
}
