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

/** {@code ocular duplicates} over the real engine (built-in model) in a temporary data folder. */
class DuplicatesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    /** A scene with a few shapes; a lightly edited copy of it is the near-duplicate the command must find. */
    private static BufferedImage scene(Color sky, Color ground, int sun) {
        BufferedImage img = new BufferedImage(160, 120, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(sky);
        g.fillRect(0, 0, 160, 70);
        g.setColor(ground);
        g.fillRect(0, 70, 160, 50);
        g.setColor(Color.YELLOW);
        g.fillOval(sun, 12, 30, 30);
        g.dispose();
        return img;
    }

    /** The same picture with a small mark in a corner (different bytes, nearly the same content). */
    private static BufferedImage marked(BufferedImage src) {
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.setColor(Color.WHITE);
        g.fillRect(150, 110, 6, 6);
        g.dispose();
        return out;
    }

    @Test
    void findsTheEditedCopyAndPrintsGroupsWithPaths() throws Exception {
        Path photos = Files.createDirectories(tmp.resolve("photos"));
        BufferedImage beach = scene(new Color(90, 160, 230), new Color(230, 210, 150), 20);
        ImageIO.write(beach, "png", photos.resolve("beach.png").toFile());
        ImageIO.write(marked(beach), "png", photos.resolve("beach-copy.png").toFile());
        ImageIO.write(scene(new Color(20, 20, 60), new Color(30, 90, 30), 120), "png",
                photos.resolve("night.png").toFile());
        ImageIO.write(scene(new Color(200, 60, 40), new Color(60, 40, 30), 70), "png",
                photos.resolve("sunset.png").toFile());
        assertThat(cli("index", photos.toString()).code()).isZero();

        CliRun json = cli("duplicates", "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode j = JSON.readTree(json.out());
        assertThat(j.get("model").asText()).isEqualTo("builtin-v1");
        assertThat(j.get("threshold").asDouble()).isEqualTo(0.98); // the built-in descriptor's default
        assertThat(j.get("groups")).hasSize(1);
        JsonNode group = j.get("groups").get(0);
        assertThat(group.get("photos").findValuesAsText("path")).containsExactlyInAnyOrder(
                photos.toRealPath().resolve("beach.png").toString(),
                photos.toRealPath().resolve("beach-copy.png").toString());
        assertThat(group.get("similarity").asDouble()).isBetween(0.98, 1.0);

        CliRun text = cli("duplicates");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("1 group, 2 photos at similarity 0.98 (model builtin-v1):")
                .contains("Group 1 (similarity ").contains("beach-copy.png").doesNotContain("night.png");

        CliRun strict = cli("duplicates", "--threshold", "1");
        assertThat(strict.code()).as(strict.err()).isZero();
        assertThat(strict.out().strip()).isEqualTo("No near-duplicates at similarity 1.00 (model builtin-v1).");
    }

    @Test
    void badThresholdAndEmptyLibraryGetOneLineMessages() {
        CliRun low = cli("duplicates", "--threshold", "0.3");
        assertThat(low.code()).isEqualTo(1);
        assertThat(low.err()).startsWith("ocular: The similarity threshold must be between 0.8 and 1 (got 0.3)")
                .doesNotContain("\tat ");
        assertThat(cli("duplicates", "--threshold", "NaN").code()).isEqualTo(1);

        CliRun empty = cli("duplicates");
        assertThat(empty.code()).isEqualTo(1);
        assertThat(empty.err()).startsWith("ocular: No photos are indexed with the active model (builtin-v1)");
    }
}
