package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.embed.ClipModel;
import io.ocular.embed.ModelCatalogue;
import io.ocular.embed.ModelManifest;
import io.ocular.embed.ModelStore;
import io.ocular.model.ModelKind;
import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ocular eval --protocol cirr|fashioniq} and {@code ocular train combiner} end to end, with the stand-in
 * CLIP (scripts/make_standin_clip.py: its vectors follow an image's colour and the words red/green/blue) over tiny
 * datasets in the benchmarks' own JSON layouts, written here.
 */
class ComposedCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Color> COLOURS = Map.of("red", new Color(220, 30, 30), "green",
            new Color(30, 200, 40), "blue", new Color(30, 40, 220));
    private static final List<String> NAMES = List.of("red", "green", "blue");

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    @BeforeEach
    void installStandInClip() throws Exception {
        Path standIn = Path.of(getClass().getResource("/models/clip-standin/vision_model.onnx").toURI()).getParent();
        List<ModelCatalogue.FileSpec> specs = new ArrayList<>();
        Map<String, Path> files = new HashMap<>();
        for (String f : List.of(ClipModel.VISION_FILE, ClipModel.TEXT_FILE, ClipModel.TOKENIZER_FILE)) {
            Path p = standIn.resolve(f);
            specs.add(new ModelCatalogue.FileSpec(f, p.toUri(), Files.size(p), sha256(p)));
            files.put(f, p);
        }
        ModelManifest manifest = ModelManifest.fromCatalogue(new ModelCatalogue.Entry("clip-standin", "Stand-in CLIP",
                ModelKind.IMAGE_TEXT, specs, "test", 512, "clip-224", null));
        new ModelStore(tmp.resolve("data")).installFiles(manifest, files);
    }

    private static String sha256(Path p) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(p)));
    }

    /** CIRR layout: per split, 3 colours x 3 variants of images and triplets "make it COLOUR". */
    private Path cirr() throws Exception {
        Path dir = tmp.resolve("cirr_dataset");
        for (String split : List.of("train", "val")) {
            Map<String, String> names = new java.util.LinkedHashMap<>();
            List<Map<String, Object>> caps = new ArrayList<>();
            for (String c : NAMES) {
                for (int v = 0; v < 3; v++) {
                    String name = split + "-" + c + v;
                    OcularCliIntegrationTest.png(dir.resolve(split).resolve(name + ".png"), COLOURS.get(c), v);
                    names.put(name, "./" + split + "/" + name + ".png");
                }
            }
            int pair = 0;
            for (String from : NAMES) {
                for (String to : NAMES) {
                    if (!from.equals(to)) {
                        for (int v = 0; v < 3; v++) {
                            String ref = split + "-" + from + v;
                            String target = split + "-" + to + ((v + 1) % 3);
                            caps.add(Map.of("pairid", pair++, "reference", ref, "target_hard", target,
                                    "target_soft", Map.of(target, 1.0), "caption", "make it " + to,
                                    "img_set", Map.of("id", pair, "members", List.of(ref, target, split + "-" + from
                                            + ((v + 1) % 3), split + "-" + to + ((v + 2) % 3)))));
                        }
                    }
                }
            }
            Files.createDirectories(dir.resolve("captions"));
            Files.createDirectories(dir.resolve("image_splits"));
            JSON.writeValue(dir.resolve("captions/cap.rc2." + split + ".json").toFile(), caps);
            JSON.writeValue(dir.resolve("image_splits/split.rc2." + split + ".json").toFile(), names);
        }
        return dir;
    }

    /** FashionIQ layout: categories dress and shirt, val split, images/NAME.png. */
    private Path fashionIq() throws Exception {
        Path dir = tmp.resolve("fashionIQ_dataset");
        Files.createDirectories(dir.resolve("captions"));
        Files.createDirectories(dir.resolve("image_splits"));
        for (String cat : List.of("dress", "shirt")) {
            List<String> names = new ArrayList<>();
            List<Map<String, Object>> caps = new ArrayList<>();
            for (String c : NAMES) {
                for (int v = 0; v < 2; v++) {
                    String name = cat + c + v;
                    OcularCliIntegrationTest.png(dir.resolve("images").resolve(name + ".png"), COLOURS.get(c), v);
                    names.add(name);
                }
            }
            for (String from : NAMES) {
                for (String to : NAMES) {
                    if (!from.equals(to)) {
                        caps.add(Map.of("candidate", cat + from + "0", "target", cat + to + "1",
                                "captions", List.of("is " + to + ".", "more " + to)));
                    }
                }
            }
            JSON.writeValue(dir.resolve("captions/cap." + cat + ".val.json").toFile(), caps);
            JSON.writeValue(dir.resolve("image_splits/split." + cat + ".val.json").toFile(), names);
        }
        return dir;
    }

    @Test
    void cirrEvalReportsRecallAndSubsetRecall() throws Exception {
        Path dir = cirr();
        CliRun r = cli("eval", "--protocol", "cirr", "--dataset", dir.toString(), "--model", "clip-standin",
                "--no-cache", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("model").asText()).isEqualTo("clip-standin");
        JsonNode sum = j.at("/results/0/sum");
        assertThat(sum.get("queries").asInt()).isEqualTo(18);
        assertThat(sum.get("gallery").asInt()).isEqualTo(9);
        // 8 candidates once the reference is left out: every target is within the top 50, and within the subset's 3
        assertThat(sum.get("recall@50").asDouble()).isEqualTo(1.0);
        assertThat(sum.get("recall_subset@3").asDouble()).isEqualTo(1.0);
        assertThat(sum.get("recall@1").asDouble()).isBetween(0.0, 1.0);
        assertThat(sum.get("recall_subset@1").asDouble()).isBetween(0.0, 1.0);

        CliRun text = cli("eval", "--protocol", "cirr", "--dataset", dir.toString(), "--model", "clip-standin",
                "--no-cache");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("cirr-val").contains("recall@10").contains("recall_subset@2");
    }

    @Test
    void fashionIqEvalScoresEveryCategoryAndTheirMean() throws Exception {
        CliRun r = cli("eval", "--protocol", "fashioniq", "--dataset", fashionIq().toString(), "--model",
                "clip-standin", "--no-cache", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("results").findValuesAsText("name")).containsExactly("fashioniq-dress-val", "fashioniq-shirt-val");
        assertThat(j.at("/results/0/sum/queries").asInt()).isEqualTo(6);
        assertThat(j.at("/results/0/sum/recall@10").asDouble()).isEqualTo(1.0);   // 6 images per category
        assertThat(j.at("/results/0/sum").has("recall_subset@1")).isFalse();
        assertThat(j.at("/mean_sum/recall@50").asDouble()).isEqualTo(1.0);
    }

    @Test
    void trainCombinerWritesAModelThatEvalCanScore() throws Exception {
        Path dir = cirr();
        Path out = tmp.resolve("c.combiner");
        CliRun t = cli("train", "combiner", "--protocol", "cirr", "--dataset", dir.toString(), "--model",
                "clip-standin", "--epochs", "3", "--projection", "32", "--hidden", "64", "--output", out.toString(),
                "--force", "--no-cache", "--json");
        assertThat(t.code()).as(t.err()).isZero();
        JsonNode j = JSON.readTree(t.out());
        assertThat(j.get("triplets").asInt()).isEqualTo(18);
        assertThat(j.get("installed").asBoolean()).isTrue();
        assertThat(CombinerModel.load(out).dimension()).isEqualTo(512);
        assertThat(t.err()).contains("epoch 3/3");

        CliRun e = cli("eval", "--protocol", "cirr", "--dataset", dir.toString(), "--model", "clip-standin",
                "--combiner", out.toString(), "--no-cache", "--json");
        assertThat(e.code()).as(e.err()).isZero();
        assertThat(JSON.readTree(e.out()).at("/results/0/combiner/recall@50").asDouble()).isEqualTo(1.0);
        // --output absent and not --force: installed in the data folder only if it beats the sum
        CliRun d = cli("train", "combiner", "--protocol", "cirr", "--dataset", dir.toString(), "--model",
                "clip-standin", "--epochs", "1", "--hidden", "16", "--no-cache", "--json");
        assertThat(d.code()).as(d.err()).isZero();
        JsonNode dj = JSON.readTree(d.out());
        Path installed = CombinerComposer.fileFor(tmp.resolve("data"), "clip-standin");
        assertThat(Files.exists(installed)).isEqualTo(dj.get("installed").asBoolean());
        assertThat(dj.get("installed").asBoolean())
                .isEqualTo(dj.get("val_recall@10_combiner").asDouble() > dj.get("val_recall@10_sum").asDouble());
    }

    /** Scores of the hits of one search. */
    private List<Double> scores(String... args) throws Exception {
        CliRun r = cli(args);
        assertThat(r.code()).as(r.err()).isZero();
        List<Double> out = new ArrayList<>();
        JSON.readTree(r.out()).get("hits").forEach(h -> out.add(h.get("score").asDouble()));
        return out;
    }

    /**
     * Search picks up the model's installed Combiner: one whose λ is pinned to 0 (image residual only, the MLP
     * silent) makes a composed query score exactly as the image alone; without it the weighted sum moves them.
     */
    @Test
    void composedSearchUsesTheInstalledCombiner() throws Exception {
        Path photos = cirr().resolve("val");
        CliRun index = cli("index", photos.toString(), "--model", "clip-standin");
        assertThat(index.code()).as(index.err()).isZero();
        String red = photos.resolve("val-red0.png").toString();
        // the example alone, without "More like this" augmentation (a composed query is never augmented)
        List<Double> image = scores("search", "--image", red, "-k", "8", "--augment", "off", "--json");
        List<Double> sum = scores("search", "--image", red, "--modify", "make it blue", "-k", "8", "--json");
        assertThat(sum).isNotEqualTo(image);

        int[] sizes = CombinerModel.sizes(512, 4, 4);
        float[][] w = new float[sizes.length][];
        for (int k = 0; k < sizes.length; k++) {
            w[k] = new float[sizes[k]];
        }
        w[11][0] = -40f;   // λ = sigmoid(-40) ≈ 0
        new CombinerModel(512, 4, 4, w).save(CombinerComposer.fileFor(tmp.resolve("data"), "clip-standin"));
        List<Double> learned = scores("search", "--image", red, "--modify", "make it blue", "-k", "8", "--json");
        assertThat(learned).hasSameSizeAs(image);
        for (int i = 0; i < image.size(); i++) {
            assertThat(learned.get(i)).isCloseTo(image.get(i), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void badDatasetsGetOneLineMessages() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun a = cli("eval", "--protocol", "cirr", "--dataset", empty.toString(), "--model", "clip-standin");
        assertThat(a.code()).isEqualTo(1);
        assertThat(a.err().strip()).startsWith("ocular: missing CIRR's image list").doesNotContain("\n");
        CliRun b = cli("eval", "--protocol", "fashioniq", "--dataset", empty.toString(), "--model", "clip-standin");
        assertThat(b.err().strip()).startsWith("ocular: no FashionIQ captions for the split 'val'");
        Path dir = cirr();
        Files.writeString(dir.resolve("captions/cap.rc2.val.json"), "[{\"reference\": ");
        CliRun c = cli("eval", "--protocol", "cirr", "--dataset", dir.toString(), "--model", "clip-standin");
        assertThat(c.err().strip()).contains("is not valid JSON").doesNotContain("\tat ");
        CliRun d = cli("eval", "--protocol", "cirr", "--dataset", dir.toString(), "--split", "../x");
        assertThat(d.err()).contains("plain name");
        CliRun e = cli("train", "combiner", "--protocol", "nope", "--dataset", dir.toString());
        assertThat(e.code()).isEqualTo(1);
        assertThat(e.err()).contains("unknown composed-retrieval protocol 'nope'");
        CliRun f = cli("eval", "--protocol", "cirr", "--dataset", dir.toString(), "--combiner",
                tmp.resolve("none.combiner").toString(), "--split", "train");
        assertThat(f.err()).contains("cannot use the combiner").contains("missing");
    }

    @Test
    void helpDescribesTheCommands() {
        CliRun h = CliRun.run("train", "combiner", "--help");
        assertThat(h.code()).isZero();
        assertThat(h.out()).contains("--dataset").contains("--protocol").contains("--force").contains("Recall@10");
        assertThat(CliRun.run("eval", "--help").out()).contains("cirr").contains("--combiner");
        assertThat(CliRun.run("--help").out()).contains("train");
    }
}
