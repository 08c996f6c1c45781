package io.ocular.embed;

import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
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
            assertThat(f.sha256()).isEqualTo("a7bb54a137785902a4e7349ba8ddeb38ee8fbd3fd87644ec5339023c6ca68fb4");
            assertThat(f.size()).isEqualTo(3_655_321L);
        });
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
}
