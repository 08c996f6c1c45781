package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bench search --vectors-from}: the photos embedded by the app's indexing, cached, then grown to --n. */
class BenchSearchRealVectorsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    @Test
    void embedsTheFoldersPhotosOnceAndMeasuresOnTheirReplicas() throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos/a"));
        Files.createDirectories(tmp.resolve("photos/b"));
        Random r = new Random(5);
        for (int i = 0; i < 24; i++) {
            BufferedImage b = new BufferedImage(96, 72, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = b.createGraphics();
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillRect(0, 0, 96, 72);
            g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
            g.fillOval(r.nextInt(60), r.nextInt(40), 30 + r.nextInt(30), 20 + r.nextInt(30));
            g.dispose();
            ImageIO.write(b, "png", tmp.resolve("photos/" + (i % 2 == 0 ? "a" : "b") + "/p" + i + ".png").toFile());
        }
        Files.writeString(photos.resolve("notes.txt"), "not a photo");
        String cache = tmp.resolve("cache").toString();
        String[] args = {"bench", "search", "--vectors-from", tmp.resolve("photos/a") + "," + tmp.resolve("photos/b"),
                "--n", "2000", "--index", "ivfpq", "--bits", "32", "--nlist", "8", "--nprobe", "8", "--rerank", "20",
                "--queries", "4", "--cache", cache, "--json"};

        CliRun first = cli(args);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).contains("Embedding 24 photos");
        JsonNode j = JSON.readTree(first.out());
        assertThat(j.get("data").asText()).startsWith("real: 24 ").contains("4 held out")
                .contains("20 replicated to 2000");
        assertThat(j.get("n").asInt()).isEqualTo(2000);
        assertThat(j.get("dim").asInt()).isGreaterThan(1);
        assertThat(j.get("recall_at_10").asDouble()).isGreaterThan(0.9); // every list probed, 200 re-scored

        CliRun again = cli(args);
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.err()).doesNotContain("Embedding"); // from the feature cache
        assertThat(JSON.readTree(again.out()).get("data").asText()).isEqualTo(j.get("data").asText());

        CliRun mismatch = cli("bench", "search", "--vectors-from", tmp.resolve("photos/a").toString(), "--n", "100",
                "--dim", "3", "--queries", "2", "--cache", cache);
        assertThat(mismatch.code()).isNotZero();
        assertThat(mismatch.err()).contains("does not match the model's").doesNotContain("Exception");
        CliRun tooFew = cli("bench", "search", "--vectors-from", tmp.resolve("photos/a").toString(), "--n", "100",
                "--queries", "5", "--cache", cache);
        assertThat(tooFew.code()).isNotZero();
        assertThat(tooFew.err()).contains("Only 12 photos could be embedded").doesNotContain("Exception");
        CliRun missing = cli("bench", "search", "--vectors-from", tmp.resolve("nope").toString(), "--n", "100");
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("Folder not found").doesNotContain("Exception");
        Files.createDirectories(tmp.resolve("empty"));
        CliRun empty = cli("bench", "search", "--vectors-from", tmp.resolve("empty").toString(), "--n", "100");
        assertThat(empty.code()).isNotZero();
        assertThat(empty.err()).contains("No photos under").doesNotContain("Exception");
        CliRun noDim = cli("bench", "search", "--n", "100");
        assertThat(noDim.code()).isNotZero();
        assertThat(noDim.err()).contains("--dim");
    }
}
