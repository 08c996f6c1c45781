package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Search in Korean end to end through the CLI: the stand-in CLIP and the stand-in multilingual text tower
 * are imported from folders in their Hugging Face layouts, the photos are indexed with CLIP, and
 * {@code ocular search --text "바닷가의 강아지"} finds the same photos as its English equivalent, read by the
 * multilingual tower through Ocular's own pooling and projection, without re-indexing.
 */
class MultilingualCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ML = "clip-vit-b-32-multilingual-v1-text";

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    private Path repos() throws Exception {
        Path clip = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        Path ml = Path.of(getClass().getResource("/models/multilingual-standin/text_model.onnx").toURI()).getParent();
        Path c = tmp.resolve("downloads/clip-vit-base-patch32");
        Files.createDirectories(c.resolve("onnx"));
        Files.copy(clip.resolve("vision_model.onnx"), c.resolve("onnx/vision_model.onnx"));
        Files.copy(clip.resolve("text_model.onnx"), c.resolve("onnx/text_model.onnx"));
        Files.copy(clip.resolve("tokenizer.json"), c.resolve("tokenizer.json"));
        Path m = tmp.resolve("downloads/clip-ViT-B-32-multilingual-v1");
        Files.createDirectories(m.resolve("onnx"));
        Files.createDirectories(m.resolve("2_Dense"));
        Files.copy(ml.resolve("text_model.onnx"), m.resolve("onnx/model_quint8_avx2.onnx"));
        Files.copy(ml.resolve("dense.safetensors"), m.resolve("2_Dense/model.safetensors"));
        Files.copy(ml.resolve("tokenizer.json"), m.resolve("tokenizer.json"));
        return tmp.resolve("downloads");
    }

    private Set<String> hitNames(CliRun r) throws Exception {
        assertThat(r.code()).as(r.err()).isZero();
        List<String> names = new ArrayList<>();
        JSON.readTree(r.out()).get("hits").forEach(h -> names.add(Path.of(h.get("path").asText()).getFileName().toString()));
        return names.stream().collect(Collectors.toSet());
    }

    @Test
    void koreanWordsFindTheSamePhotosAsTheirEnglishEquivalent() throws Exception {
        Path downloads = repos();
        Path photos = tmp.resolve("photos");
        Color[] blues = {new Color(30, 40, 220), new Color(20, 60, 200)};
        Color[] reds = {new Color(220, 30, 30), new Color(200, 40, 20)};
        Color[] greens = {new Color(30, 200, 40), new Color(40, 220, 60)};
        for (int i = 0; i < 2; i++) {
            OcularCliIntegrationTest.png(photos.resolve("blue" + i + ".png"), blues[i], i);
            OcularCliIntegrationTest.png(photos.resolve("red" + i + ".png"), reds[i], i);
            OcularCliIntegrationTest.png(photos.resolve("green" + i + ".png"), greens[i], i);
        }

        CliRun clip = cli("models", "import", downloads.resolve("clip-vit-base-patch32").toString(), "--id", "clip",
                "--space", "openai-clip-vit-b32", "--json");
        assertThat(clip.code()).as(clip.err()).isZero();
        assertThat(JSON.readTree(clip.out()).get("kind").asText()).isEqualTo("image_text");
        CliRun ml = cli("models", "import", downloads.resolve("clip-ViT-B-32-multilingual-v1").toString());
        assertThat(ml.code()).as(ml.err()).isZero();
        assertThat(ml.out()).contains("Installed model '" + ML + "'").contains("--text-model " + ML);

        CliRun index = cli("index", "--model", "clip", photos.toString());
        assertThat(index.code()).as(index.err()).isZero();

        Set<String> korean = hitNames(cli("search", "--text", "바닷가의 강아지", "--text-model", ML, "-k", "2", "--json"));
        Set<String> english = hitNames(cli("search", "--text", "a dog on the beach", "--text-model", ML, "-k", "2", "--json"));
        assertThat(korean).containsExactlyInAnyOrder("blue0.png", "blue1.png");
        assertThat(english).isEqualTo(korean);
        assertThat(hitNames(cli("search", "--text", "빨간 자동차", "--text-model", ML, "-k", "2", "--json")))
                .containsExactlyInAnyOrder("red0.png", "red1.png");

        // by default CLIP's own (English) tower reads the words; the choice can be stored as a setting
        CliRun own = cli("search", "--text", "blue", "-k", "2", "--json");
        assertThat(JSON.readTree(own.out()).get("text_model").asText()).isEqualTo("clip");
        assertThat(hitNames(own)).containsExactlyInAnyOrder("blue0.png", "blue1.png");
        CliRun choose = cli("models", "text-model", ML, "--json");
        assertThat(choose.code()).as(choose.err()).isZero();
        JsonNode c = JSON.readTree(choose.out());
        assertThat(c.get("text_model").asText()).isEqualTo(ML);
        assertThat(c.get("choices").toString()).contains("clip").contains(ML);
        CliRun status = cli("status", "--json");
        assertThat(JSON.readTree(status.out()).at("/model/text_model").asText()).isEqualTo(ML);
        assertThat(cli("status").out()).contains("Words read by: " + ML);
        CliRun plain = cli("search", "--text", "바닷가의 강아지", "-k", "2");
        assertThat(plain.code()).as(plain.err()).isZero();
        assertThat(plain.out()).contains("words read by " + ML).contains("blue0.png").contains("blue1.png");

        // composed query and feedback with the multilingual tower: a red example, changed to "파란" (blue)
        CliRun composed = cli("search", "--image", photos.resolve("red0.png").toString(), "--modify", "파란",
                "--weight", "0.8", "-k", "2", "--json");
        assertThat(hitNames(composed)).containsExactlyInAnyOrder("blue0.png", "blue1.png");
        long blueId = JSON.readTree(composed.out()).at("/hits/0/id").asLong();
        CliRun feedback = cli("search", "--text", "초록", "--text-model", ML, "--relevant", Long.toString(blueId),
                "--irrelevant", JSON.readTree(composed.out()).at("/hits/1/id").asText(), "-k", "6", "--json");
        Set<String> refined = hitNames(feedback);
        assertThat(refined).contains("green0.png", "green1.png").doesNotContain(
                Path.of(JSON.readTree(composed.out()).at("/hits/1/path").asText()).getFileName().toString());

        CliRun wrong = cli("search", "--text", "x", "--text-model", "builtin-v1");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("cannot search the photos indexed with 'clip'").doesNotContain("\tat ");
        CliRun notText = cli("models", "text-model", "nope");
        assertThat(notText.code()).isEqualTo(1);
        assertThat(notText.err()).contains("'nope' cannot search");
    }

    @Test
    void modelsListShowsTheMultilingualEntryWithSizesAndChecksums() throws Exception {
        CliRun list = cli("models", "list", "--json");
        assertThat(list.code()).as(list.err()).isZero();
        JsonNode ml = null;
        for (JsonNode e : JSON.readTree(list.out()).get("downloadable")) {
            if (e.get("id").asText().equals("clip-vit-b32-multilingual")) {
                ml = e;
            }
        }
        assertThat(ml).isNotNull();
        assertThat(ml.get("kind").asText()).isEqualTo("text");
        assertThat(ml.get("space").asText()).isEqualTo("openai-clip-vit-b32");
        assertThat(ml.get("revision").asText()).isEqualTo("58edf8cada9e398793dca955574a48cbb7f18be2");
        assertThat(ml.at("/outputs/last_hidden_state").asText()).contains("768");
        assertThat(ml.get("files").findValuesAsText("sha256")).contains(
                "fbc8fbeaa5237d96bd1bf430057c70d34de8334a463e933a5faa305f6caeed9c",
                "3bed77e83926519660b5c0833cb3321cfde952331edec4f7d501c7d384b8a8a7",
                "d12568dc7300970a4d3dbb49068ad16cd89b99840b74b026f8e48071e9414f74",
                "5b4e1a8171c81dfd666ae40265b9530c6e0b3d53923fe8ac493dcc84229adf81");
        assertThat(ml.get("files").findValuesAsText("arch")).containsExactly("x86_64", "aarch64");
        assertThat(ml.get("bytes").asLong()).isIn(135_377_779L + 1_572_984L + 1_961_847L,
                135_336_307L + 1_572_984L + 1_961_847L);
    }
}
