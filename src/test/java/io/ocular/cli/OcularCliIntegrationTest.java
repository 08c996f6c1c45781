package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The CLI end to end, in-process, over the real engine (built-in model) in a temporary data folder. */
class OcularCliIntegrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    /** A photo-like test image: a base colour with a diagonal stripe, so every file differs a little. */
    static Path png(Path file, Color base, int variant) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(base);
        g.fillRect(0, 0, 96, 64);
        g.setColor(base.darker());
        g.fillRect(10 + 8 * variant, 0, 6 + 2 * variant, 64);
        g.dispose();
        ImageIO.write(img, "png", file.toFile());
        return file;
    }

    private static final Color[] REDS = {new Color(220, 30, 30), new Color(200, 40, 20), new Color(230, 50, 40)};
    private static final Color[] BLUES = {new Color(30, 40, 220), new Color(20, 60, 200), new Color(40, 30, 240)};

    @Test
    void indexStatusSearchRoundTrip() throws Exception {
        Path photos = tmp.resolve("photos");
        for (int i = 0; i < 3; i++) {
            png(photos.resolve("red" + i + ".png"), REDS[i], i);
            png(photos.resolve("blue" + i + ".png"), BLUES[i], i);
        }
        Files.write(photos.resolve("broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});

        CliRun index = cli("index", photos.toString());
        assertThat(index.code()).as(index.err()).isZero();
        assertThat(index.out()).contains("6 images indexed, 1 skipped, 0 pending (model builtin-v1)");

        CliRun status = cli("status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.at("/images/indexed").asLong()).isEqualTo(6);
        assertThat(s.at("/images/skipped").asLong()).isEqualTo(1);
        assertThat(s.at("/model/id").asText()).isEqualTo("builtin-v1");
        assertThat(s.at("/model/vectors").asLong()).isEqualTo(6);
        assertThat(s.at("/model/index").asText()).isEqualTo("exact"); // 6 photos: far below IndexPolicy's threshold
        assertThat(s.at("/model/index_detail").asText()).isEqualTo("exact");
        assertThat(cli("status").out()).contains("Search:      exact");
        assertThat(s.at("/folders/0/path").asText()).isEqualTo(photos.toRealPath().toString());
        assertThat(s.at("/skipped/0/path").asText()).endsWith("broken.jpg");
        assertThat(s.at("/skipped/0/reason").asText()).isNotBlank();

        CliRun search = cli("search", "--image", photos.resolve("red0.png").toString(), "-k", "3", "--json");
        assertThat(search.code()).as(search.err()).isZero();
        JsonNode r = JSON.readTree(search.out());
        assertThat(r.get("model").asText()).isEqualTo("builtin-v1");
        assertThat(r.get("ms").asDouble()).isGreaterThanOrEqualTo(0);
        JsonNode hits = r.get("hits");
        assertThat(hits).hasSize(3);
        // the query itself is left out; the other two reds come first, then a blue
        assertThat(hits.get(0).get("path").asText()).matches(".*red[12]\\.png");
        assertThat(hits.get(1).get("path").asText()).matches(".*red[12]\\.png");
        assertThat(hits.get(2).get("path").asText()).matches(".*blue\\d\\.png");
        assertThat(hits.get(0).get("score").asDouble()).isGreaterThanOrEqualTo(hits.get(2).get("score").asDouble());

        // by catalog id, with feedback marking a hit irrelevant: it disappears
        long red0 = hits.get(0).get("id").asLong();
        long other = hits.get(1).get("id").asLong();
        CliRun byId = cli("search", "--image", String.valueOf(red0), "--irrelevant", String.valueOf(other), "--json");
        assertThat(byId.code()).as(byId.err()).isZero();
        JsonNode ids = JSON.readTree(byId.out()).get("hits");
        assertThat(ids.findValuesAsText("id")).doesNotContain(String.valueOf(other), String.valueOf(red0));

        CliRun text = cli("search", "--text", "a red car");
        assertThat(text.code()).isEqualTo(1);
        assertThat(text.err()).startsWith("ocular: ").contains("text").doesNotContain("\tat ");
    }

    @Test
    void evalClassesOnATinyDatasetGivesTheHandComputedScore() throws Exception {
        Path ds = tmp.resolve("ds");
        for (int i = 0; i < 3; i++) {
            png(ds.resolve("red/" + i + ".png"), REDS[i], i);
            png(ds.resolve("blue/" + i + ".png"), BLUES[i], i);
        }
        CliRun r = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        // every query finds its 2 class mates first: AP = 1; P@10 = 2 relevant / 10
        assertThat(j.get("mAP").asDouble()).isCloseTo(1.0, within(1e-9));
        assertThat(j.get("P@10").asDouble()).isCloseTo(0.2, within(1e-9));
        assertThat(j.get("queries").asInt()).isEqualTo(6);
        assertThat(j.get("images").asInt()).isEqualTo(6);
        assertThat(j.get("model").asText()).isEqualTo("builtin-v1");
        assertThat(j.get("index").asText()).isEqualTo("exact");
        assertThat(j.has("NS")).isFalse();
        // the user's data folder got no catalog from the evaluation
        assertThat(tmp.resolve("data/catalog.db")).doesNotExist();
    }

    @Test
    void evalUkbenchCountsTheQueryAmongTheTopFour() throws Exception {
        Path ds = tmp.resolve("uk");
        for (int i = 0; i < 8; i++) {
            Color c = i < 4 ? REDS[i % 3] : BLUES[i % 3];
            png(ds.resolve(String.format("ukbench%05d.png", i)), c, i % 4);
        }
        CliRun r = cli("eval", "--dataset", ds.toString(), "--protocol", "ukbench", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("NS").asDouble()).isCloseTo(4.0, within(1e-9));
        assertThat(j.get("queries").asInt()).isEqualTo(8);
    }

    @Test
    void unknownModelIsAOneLineError() throws Exception {
        Path photos = tmp.resolve("p");
        png(photos.resolve("c/a.png"), REDS[0], 0);
        png(photos.resolve("c/b.png"), REDS[1], 1);
        CliRun r = cli("index", photos.toString(), "--model", "nope");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("ocular: Unknown model 'nope'").doesNotContain("\n");
        CliRun e = cli("eval", "--dataset", photos.toString(), "--protocol", "classes", "--model", "nope");
        assertThat(e.code()).isEqualTo(1);
        assertThat(e.err()).startsWith("ocular: Unknown model 'nope'");
    }

    @Test
    void modelsListImportRemove() throws Exception {
        CliRun list = cli("models", "list", "--json");
        assertThat(list.code()).as(list.err()).isZero();
        JsonNode j = JSON.readTree(list.out());
        assertThat(j.at("/installed/0/id").asText()).isEqualTo("builtin-v1");
        assertThat(j.get("downloadable").findValuesAsText("id")).contains("mobilenetv2-int8");

        CliRun missing = cli("models", "import", tmp.resolve("none.onnx").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("ocular: File not found: " + tmp.resolve("none.onnx"));

        Path junk = Files.write(tmp.resolve("junk.onnx"), new byte[] {1, 2, 3, 4});
        CliRun bad = cli("models", "import", junk.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("ocular: ").doesNotContain("\tat ");

        CliRun rm = cli("models", "remove", "nope");
        assertThat(rm.code()).isEqualTo(1);
        assertThat(rm.err()).contains("Unknown model 'nope'");
        assertThat(cli("models", "download", "nope").err()).contains("Unknown model 'nope'");
        assertThat(cli("models", "remove", "builtin-v1").code()).isEqualTo(1);
    }

    @Test
    void benchSearchPrintsTheSameFieldsAsTextAndAsJson() throws Exception {
        CliRun json = cli("bench", "search", "--n", "200", "--dim", "8", "--queries", "5", "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode j = JSON.readTree(json.out());
        assertThat(j.get("n").asInt()).isEqualTo(200);
        assertThat(j.get("index").asText()).isEqualTo("exact");
        assertThat(j.get("recall_at_10").asDouble()).isEqualTo(1.0);

        CliRun text = cli("bench", "search", "--n", "200", "--dim", "8", "--queries", "5");
        assertThat(text.code()).as(text.err()).isZero();
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(text.out().lines().map(l -> l.split("\\s+")[0]).toList()).containsExactlyElementsOf(keys);
        assertThat(text.out()).contains("recall_at_10   1.0000");
    }

    @Test
    void mobileNetImportAndEvalOnAFewUkbenchImages() throws Exception {
        Path onnx = SharedData.mobileNetV2();
        Path uk = SharedData.dataset("ukbench56/images");
        Path ds = tmp.resolve("uk8");
        Files.createDirectories(ds);
        for (int i = 0; i < 8; i++) {
            String name = String.format("ukbench%05d.jpg", i);
            Files.copy(uk.resolve(name), ds.resolve(name));
        }
        CliRun imp = cli("models", "import", onnx.toString(), "--json");
        assertThat(imp.code()).as(imp.err()).isZero();
        assertThat(JSON.readTree(imp.out()).get("id").asText()).isEqualTo("mobilenetv2-int8");
        assertThat(JSON.readTree(cli("models", "list", "--json").out()).get("installed").findValuesAsText("id"))
                .contains("builtin-v1", "mobilenetv2-int8");
        CliRun again = cli("models", "import", onnx.toString(), "--id", "spare");
        assertThat(again.out()).contains("Installed model 'spare'");
        CliRun removed = cli("models", "remove", "spare", "--json");
        assertThat(removed.code()).as(removed.err()).isZero();
        assertThat(JSON.readTree(removed.out()).get("removed").asText()).isEqualTo("spare");

        CliRun r = cli("eval", "--dataset", ds.toString(), "--protocol", "ukbench", "--model", "mobilenetv2-int8",
                "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("model").asText()).isEqualTo("mobilenetv2-int8");
        assertThat(j.get("NS").asDouble()).isGreaterThanOrEqualTo(3.5);
    }
}
