package io.ocular.embed;

import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCatalogueTest {

    @Test
    void builtInCatalogueHasClipAndMobileNetWithRealChecksums() {
        ModelCatalogue c = ModelCatalogue.builtIn();
        ModelCatalogue.Entry clip = c.find("clip-vit-b32").orElseThrow();
        assertThat(clip.kind()).isEqualTo(ModelKind.IMAGE_TEXT);
        assertThat(clip.dimension()).isEqualTo(512);
        assertThat(clip.files()).extracting(ModelCatalogue.FileSpec::name)
                .containsExactly(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE);
        assertThat(clip.files()).allMatch(ModelCatalogue.FileSpec::checksumKnown);
        assertThat(clip.files()).allMatch(f -> f.url().toString().startsWith("https://huggingface.co/Xenova/"));
        assertThat(clip.totalSize()).isEqualTo(351_685_709L + 254_058_553L + 2_224_119L);

        ModelCatalogue.Entry mobile = c.find("mobilenetv2-int8").orElseThrow();
        assertThat(mobile.files()).singleElement().satisfies(f -> {
            // the ONNX Model Zoo's own file from its public mirror, not a project-made asset
            assertThat(f.name()).isEqualTo("mobilenetv2-12-int8.onnx");
            assertThat(f.url().toString()).isEqualTo(
                    "https://huggingface.co/onnxmodelzoo/mobilenetv2-12-int8/resolve/main/mobilenetv2-12-int8.onnx");
            assertThat(f.sha256()).isEqualTo(FeatureModelDerivation.MOBILENETV2_ORIGINAL_SHA256);
            assertThat(f.size()).isEqualTo(3_655_033L);
            assertThat(f.derive()).isEqualTo(new ModelCatalogue.Derived(FeatureModelDerivation.MOBILENETV2_FEATURES,
                    "mobilenetv2-12-int8-features.onnx", 3_655_321L, FeatureModelDerivation.MOBILENETV2_DERIVED_SHA256));
        });
        ModelManifest m = ModelManifest.fromCatalogue(mobile);
        assertThat(m.files()).containsExactly(new ModelManifest.FileEntry("mobilenetv2-12-int8-features.onnx",
                3_655_321L, "a7bb54a137785902a4e7349ba8ddeb38ee8fbd3fd87644ec5339023c6ca68fb4"));
    }

    @Test
    void quantisedClipIsAnOptInEntryWithTheExportsInt8ImageTowerAndTheFullPrecisionTextTower() {
        ModelCatalogue c = ModelCatalogue.builtIn();
        ModelCatalogue.Entry fp32 = c.find("clip-vit-b32").orElseThrow();
        ModelCatalogue.Entry int8 = c.find("clip-vit-b32-int8").orElseThrow();
        assertThat(int8.name()).contains("faster").contains("less exact");
        assertThat(int8.space()).isEqualTo(fp32.space());
        assertThat(int8.files()).extracting(ModelCatalogue.FileSpec::name)
                .containsExactly(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE);
        ModelCatalogue.FileSpec vision = int8.files().get(0);
        // public facts of onnx/vision_model_quantized.onnx at the pinned revision (decision 0230)
        assertThat(vision.url().toString()).isEqualTo("https://huggingface.co/Xenova/clip-vit-base-patch32/resolve/"
                + "d15189d7028b43f1d3e65039190477f6af591c2a/onnx/vision_model_quantized.onnx");
        assertThat(vision.size()).isEqualTo(89_117_001L);
        assertThat(vision.sha256()).isEqualTo("583fd1110a514667812fee7d684952aaf82a99b959760c8d7dca7e0ab9839299");
        assertThat(int8.files().subList(1, 3)).isEqualTo(fp32.files().subList(1, 3));
    }

    @Test
    void multilingualTextTowerHasEveryFactOfItsRevisionAndPicksTheOnnxByProcessor() {
        ModelCatalogue.Entry ml = ModelCatalogue.builtIn().find("clip-vit-b32-multilingual").orElseThrow();
        assertThat(ml.kind()).isEqualTo(ModelKind.TEXT);
        assertThat(ml.dimension()).isEqualTo(512);
        assertThat(ml.revision()).isEqualTo("58edf8cada9e398793dca955574a48cbb7f18be2");
        assertThat(ml.space()).isEqualTo(ModelCatalogue.builtIn().find("clip-vit-b32").orElseThrow().space())
                .isEqualTo("openai-clip-vit-b32");
        assertThat(ml.inputs()).containsOnlyKeys("input_ids", "attention_mask");
        assertThat(ml.outputs()).containsOnlyKeys("last_hidden_state");
        assertThat(ml.files()).allMatch(f -> f.url().toString().startsWith(
                "https://huggingface.co/sentence-transformers/clip-ViT-B-32-multilingual-v1/resolve/" + ml.revision() + "/"));

        ModelCatalogue.Entry x86 = ml.forMachine(ModelCatalogue.X86_64);
        assertThat(x86.files()).extracting(ModelCatalogue.FileSpec::name, ModelCatalogue.FileSpec::size,
                ModelCatalogue.FileSpec::sha256).containsExactly(
                org.assertj.core.groups.Tuple.tuple(MultilingualTextEncoder.MODEL_FILE, 135_377_779L,
                        "fbc8fbeaa5237d96bd1bf430057c70d34de8334a463e933a5faa305f6caeed9c"),
                org.assertj.core.groups.Tuple.tuple(MultilingualTextEncoder.DENSE_FILE, 1_572_984L,
                        "d12568dc7300970a4d3dbb49068ad16cd89b99840b74b026f8e48071e9414f74"),
                org.assertj.core.groups.Tuple.tuple(MultilingualTextEncoder.TOKENIZER_FILE, 1_961_847L,
                        "5b4e1a8171c81dfd666ae40265b9530c6e0b3d53923fe8ac493dcc84229adf81"));
        assertThat(x86.files().get(0).url().toString()).endsWith("onnx/model_quint8_avx2.onnx");
        ModelCatalogue.Entry arm = ml.forMachine(ModelCatalogue.ARM64);
        assertThat(arm.files().get(0).url().toString()).endsWith("onnx/model_qint8_arm64.onnx");
        assertThat(arm.files().get(0).sha256()).isEqualTo("3bed77e83926519660b5c0833cb3321cfde952331edec4f7d501c7d384b8a8a7");
        assertThat(arm.files().get(0).size()).isEqualTo(135_336_307L);
        assertThatThrownBy(() -> ml.forMachine("riscv64")).isInstanceOf(OcularException.class)
                .hasMessageContaining("riscv64").hasMessageContaining("x86_64");

        ModelManifest mf = ModelManifest.fromCatalogue(ml);
        mf.validate();
        assertThat(mf.encoder()).isEqualTo(MultilingualTextEncoder.ENCODER);
        assertThat(mf.properties()).containsEntry(EmbeddingSpaces.PROPERTY, "openai-clip-vit-b32")
                .containsEntry(TokenIdType.PROPERTY, "int64");
        assertThat(mf.files()).hasSize(3);
    }

    private static ModelCatalogue parse(String json) throws Exception {
        return ModelCatalogue.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private static String entry(String id, String sha) {
        return "{\"id\":\"" + id + "\",\"name\":\"N\",\"kind\":\"IMAGE\",\"dimension\":4,\"files\":[{\"name\":\"m.onnx\","
                + "\"url\":\"https://example.org/m.onnx\",\"size\":10,\"sha256\":" + sha + "}]}";
    }

    @Test
    void unknownChecksumIsAllowedInTheCatalogueButMarked() throws Exception {
        ModelCatalogue c = parse("{\"entries\":[" + entry("a", "null") + "]}");
        assertThat(c.find("a").orElseThrow().files().get(0).checksumKnown()).isFalse();
    }

    @Test
    void aDerivationWithAnUnknownRecipeOrNoChecksumIsRejected() {
        String sha = "\"" + "a".repeat(64) + "\"";
        String unknownRecipe = entry("a", sha).replace("}]}", ",\"derive\":{\"recipe\":\"resnet-magic\",\"name\":\"d.onnx\","
                + "\"size\":5,\"sha256\":" + sha + "}}]}");
        assertThatThrownBy(() -> parse("{\"entries\":[" + unknownRecipe + "]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("unknown derivation for m.onnx");
        String noSha = entry("a", sha).replace("}]}", ",\"derive\":{\"recipe\":\"mobilenetv2-features\",\"name\":\"d.onnx\","
                + "\"size\":5}}]}");
        assertThatThrownBy(() -> parse("{\"entries\":[" + noSha + "]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("derivation");
        String ok = entry("a", sha).replace("}]}", ",\"derive\":{\"recipe\":\"mobilenetv2-features\",\"name\":\"d.onnx\","
                + "\"size\":5,\"sha256\":" + sha + "}}]}");
        assertThat(ModelManifest.fromCatalogue(parseUnchecked(ok).find("a").orElseThrow()).files())
                .extracting(ModelManifest.FileEntry::name).containsExactly("d.onnx");
    }

    private static ModelCatalogue parseUnchecked(String entryJson) {
        try {
            return parse("{\"entries\":[" + entryJson + "]}");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedEntriesAreRejected() {
        assertThatThrownBy(() -> parse("{\"entries\":[" + entry("a", "\"abc\"") + "]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("SHA-256");
        assertThatThrownBy(() -> parse("{\"entries\":[" + entry("a", "null") + "," + entry("a", "null") + "]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> parse("{\"entries\":[" + entry("../evil", "null") + "]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("bad id");
        assertThatThrownBy(() -> parse("{\"entries\":[" + entry("a", "null").replace("https://", "file://") + "]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("bad URL");
    }

    @Test
    void aFileWithoutANameAfterANamedOneOrAnEmptyEntryIsRefusedWithAMessage() {
        // found by Jazzer (ModelFilesFuzzTestInputs/catalogueJson/crash-8a76...): the twice-listed check read the
        // name of a later file before that file's own check, and a missing name was a NullPointerException
        String second = ",{\"n!me\":\"t.onnx\",\"url\":\"https://example.org/t.onnx\",\"size\":10}]}";
        assertThatThrownBy(() -> parse("{\"entries\":[" + entry("a", "null").replace("}]}", "}" + second) + "]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("bad file name: null");
        // a null file is refused while the JSON is read (the reader's IOException, with Jackson's message)
        assertThatThrownBy(() -> parse("{\"entries\":[" + entry("a", "null").replace("}]}", "},null]}") + "]}"))
                .isInstanceOf(IOException.class).hasMessageContaining("Entry");
        assertThatThrownBy(() -> parse("{\"entries\":[null]}"))
                .isInstanceOf(OcularException.class).hasMessageContaining("empty entry");
    }

    @Test
    void aCatalogueThatIsJsonNullIsRefusedWithAMessage() {
        // found by Jazzer (ModelFilesFuzzTestInputs/catalogueJson/crash-f379...): "null" read as no document
        assertThatThrownBy(() -> parse("null"))
                .isInstanceOf(OcularException.class).hasMessageContaining("has no entries");
        assertThatThrownBy(() -> parse(" null (unknown). Sources of each checksum"))
                .isInstanceOf(OcularException.class).hasMessageContaining("has no entries");
    }
}
