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

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ocular bench pipeline}: each indexing stage alone, then the whole pipeline on the same photos. */
class BenchPipelineCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    @Test
    void measuresEveryStageAndThePipelineOnTheSamePhotos() throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos/sub"));
        for (int i = 0; i < 3; i++) {
            BufferedImage b = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = b.createGraphics();
            g.setColor(new Color(40 * i, 200 - 30 * i, 90));
            g.fillRect(0, 0, 640, 480);
            g.setColor(Color.WHITE);
            g.fillOval(100 + 50 * i, 100, 200, 150);
            g.dispose();
            ImageIO.write(b, "jpg", photos.resolve("p" + i + ".jpg").toFile());
        }
        Files.writeString(photos.resolve("notes.txt"), "not a photo");

        CliRun r = cli("bench", "pipeline", tmp.resolve("photos").toString(), "--limit", "3", "--batch", "2", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode o = JSON.readTree(r.out());
        assertThat(o.get("photos").asInt()).isEqualTo(3);
        assertThat(o.get("pipeline_images").asInt()).isEqualTo(3);
        for (String stage : new String[] {"decode_ms", "decode_cpu_ms", "resize_ms", "inference_ms", "write_ms"}) {
            assertThat(o.get(stage).asDouble()).as(stage).isPositive();
        }
        assertThat(o.get("model_images_per_s").asDouble()).isPositive();
        assertThat(o.get("pipeline_images_per_s").asDouble()).isPositive();
        assertThat(o.get("cpu_bound_share_of_model").asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1);
        assertThat(o.get("load_average").isNumber()).isTrue();

        CliRun help = cli("bench", "pipeline", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("decode").contains("inference").contains("share of the model's own rate");
        CliRun missing = cli("bench", "pipeline", tmp.resolve("nope").toString());
        assertThat(missing.code()).isNotZero();
        assertThat(missing.err()).contains("Folder not found");
        Files.createDirectories(tmp.resolve("empty"));
        CliRun empty = cli("bench", "pipeline", tmp.resolve("empty").toString());
        assertThat(empty.code()).isNotZero();
        assertThat(empty.err()).contains("No photos in");
        CliRun zero = cli("bench", "pipeline", tmp.resolve("photos").toString(), "--limit", "0");
        assertThat(zero.code()).isNotZero();
        assertThat(zero.err()).contains("--limit and --batch must be at least 1");
    }
}
