package io.ocular.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance search through the CLI, in-process over the real engine: generated "scenes" (random shapes and
 * text), the real MobileNetV2 feature model imported from the shared folder (skipped when absent), global
 * pass with the built-in descriptor.
 */
class InstanceCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private CliRun cli(String... args) {
        return CliRun.inDataDir(tmp.resolve("data"), args);
    }

    /** A cluttered synthetic scene: gradient, random shapes, lines and words; every seed is a different scene. */
    static BufferedImage scene(long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, randomColour(r), 400, 300, randomColour(r)));
        g.fillRect(0, 0, 400, 300);
        for (int i = 0; i < 40; i++) {
            g.setColor(randomColour(r));
            int x = r.nextInt(380);
            int y = r.nextInt(280);
            int w = 10 + r.nextInt(60);
            int h = 10 + r.nextInt(60);
            switch (r.nextInt(4)) {
                case 0 -> g.fillRect(x, y, w, h);
                case 1 -> g.fillOval(x, y, w, h);
                case 2 -> g.fillPolygon(new int[] {x, x + w, x + r.nextInt(w + 1)}, new int[] {y, y + r.nextInt(h + 1), y + h}, 3);
                default -> {
                    g.setStroke(new BasicStroke(1 + r.nextInt(4)));
                    g.drawLine(x, y, x + w, y + h);
                }
            }
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
        for (int i = 0; i < 4; i++) {
            g.setColor(randomColour(r));
            g.drawString(Long.toString(r.nextLong(), 36), r.nextInt(300), 20 + r.nextInt(270));
        }
        g.dispose();
        return img;
    }

    private static Color randomColour(Random r) {
        return new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256));
    }

    /** The same scene photographed differently: rotated 6°, zoomed in 1.15× off-centre, darker. */
    static BufferedImage edited(BufferedImage src) {
        BufferedImage out = new BufferedImage(360, 270, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform t = new AffineTransform();
        t.translate(-30, -10);
        t.rotate(Math.toRadians(6), 200, 150);
        t.scale(1.15 * 0.9, 1.15 * 0.9);
        g.drawImage(src, t, null);
        g.setColor(new Color(0, 0, 0, 50));
        g.fillRect(0, 0, 360, 270);
        g.dispose();
        return out;
    }

    private static Path write(BufferedImage img, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ImageIO.write(img, file.getFileName().toString().endsWith(".png") ? "png" : "jpg", file.toFile());
        return file;
    }

    @Test
    void instanceSearchWithoutTheFeatureModelIsAClearError() throws Exception {
        Path photos = tmp.resolve("photos");
        for (int i = 0; i < 3; i++) {
            write(scene(i), photos.resolve(i + ".png"));
        }
        assertThat(cli("index", photos.toString()).code()).isZero();

        CliRun on = cli("instance", "on");
        assertThat(on.code()).isEqualTo(1);
        assertThat(on.err()).startsWith("ocular: Instance search needs the photo model (MobileNetV2)")
                .contains("ocular models import").doesNotContain("\tat ");

        CliRun status = cli("instance", "status", "--json");
        assertThat(status.code()).as(status.err()).isZero();
        JsonNode s = JSON.readTree(status.out());
        assertThat(s.get("enabled").asBoolean()).isFalse();
        assertThat(s.get("model").isNull()).isTrue();
        assertThat(s.get("indexed_images").asLong()).isEqualTo(3);

        CliRun verify = cli("search", "--image", photos.resolve("0.png").toString(), "--verify");
        assertThat(verify.code()).isEqualTo(1);
        assertThat(verify.err()).startsWith("ocular: Instance search is off").contains("ocular instance on");

        CliRun text = cli("search", "--text", "a red car", "--verify");
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.err()).contains("--verify and --explain need an example image");

        Path ds = tmp.resolve("ds");
        write(scene(0), ds.resolve("a/0.png"));
        write(scene(1), ds.resolve("b/1.png"));
        CliRun eval = cli("eval", "--dataset", ds.toString(), "--protocol", "classes", "--rerank", "local");
        assertThat(eval.code()).isEqualTo(1);
        assertThat(eval.err()).startsWith("ocular: Instance search needs the photo model (MobileNetV2)");
    }

    @Test
    void verifiedSearchFindsTheEditedCopyAndRejectsAnUnrelatedPhoto() throws Exception {
        Path onnx = SharedData.mobileNetV2();
        assertThat(cli("models", "import", onnx.toString()).code()).isZero();
        Path photos = tmp.resolve("photos");
        for (int i = 0; i < 9; i++) {
            write(scene(i), photos.resolve("scene" + i + ".png"));
        }
        CliRun index = cli("index", photos.toString());
        assertThat(index.code()).as(index.err()).isZero();

        CliRun on = cli("instance", "on", "--json");
        assertThat(on.code()).as(on.err()).isZero();
        JsonNode s = JSON.readTree(on.out());
        assertThat(s.get("enabled").asBoolean()).isTrue();
        assertThat(s.get("fitted").asBoolean()).isTrue();
        assertThat(s.get("images_with_features").asLong()).isEqualTo(9);
        assertThat(s.get("last_pass").asText()).contains("9 images").contains("bytes/image");

        Path query = write(edited(scene(4)), tmp.resolve("query/edited4.jpg"));
        CliRun hit = cli("search", "--image", query.toString(), "--verify", "-k", "3", "--json");
        assertThat(hit.code()).as(hit.err()).isZero();
        JsonNode h = JSON.readTree(hit.out());
        assertThat(h.get("verified").asBoolean()).as(hit.out()).isTrue();
        assertThat(h.at("/hits/0/path").asText()).endsWith("scene4.png");
        assertThat(h.at("/hits/0/inliers").asInt()).isGreaterThanOrEqualTo(h.get("best_inliers").asInt());
        assertThat(h.at("/hits/0/check").asText()).isEqualTo("verified");
        assertThat(h.has("notice")).isFalse();

        Path unrelated = write(scene(1234), tmp.resolve("query/unrelated.jpg"));
        CliRun miss = cli("search", "--image", unrelated.toString(), "--verify", "--json");
        assertThat(miss.code()).as(miss.err()).isZero();
        JsonNode m = JSON.readTree(miss.out());
        assertThat(m.get("verified").asBoolean()).as(miss.out()).isFalse();
        assertThat(m.get("notice").asText()).startsWith("No confident match");
        assertThat(m.get("hits")).hasSize(9); // still ranked, by overall similarity
        assertThat(m.get("hits")).noneMatch(x -> x.get("check").asText().equals("verified"))
                .anyMatch(x -> x.get("check").asText().equals("not_verified"));

        Path png = tmp.resolve("out/explain.png");
        CliRun explain = cli("search", "--image", query.toString(), "--explain", png.toString());
        assertThat(explain.code()).as(explain.err()).isZero();
        assertThat(explain.out()).contains("Matching details written to");
        BufferedImage picture = ImageIO.read(png.toFile());
        assertThat(picture).isNotNull();
        assertThat(picture.getWidth()).isGreaterThan(picture.getHeight()); // query and result side by side

        CliRun off = cli("instance", "off");
        assertThat(off.code()).isZero();
        assertThat(off.out()).contains("local features of 9 images are kept");
        assertThat(cli("search", "--image", query.toString(), "--verify").code()).isEqualTo(1);
    }

    @Test
    void evalWithLocalRerankingOnATinyUkbenchSet() throws Exception {
        Path onnx = SharedData.mobileNetV2();
        Path uk = SharedData.dataset("ukbench56/images");
        Path ds = tmp.resolve("uk8");
        Files.createDirectories(ds);
        for (int i = 0; i < 8; i++) { // the fewest images instance search fits its model on
            String name = String.format("ukbench%05d.jpg", i);
            Files.copy(uk.resolve(name), ds.resolve(name));
        }
        assertThat(cli("models", "import", onnx.toString()).code()).isZero();
        CliRun r = cli("eval", "--dataset", ds.toString(), "--protocol", "ukbench", "--rerank", "local", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = JSON.readTree(r.out());
        assertThat(j.get("rerank").asText()).isEqualTo("local");
        assertThat(j.get("images_with_local_features").asInt()).isEqualTo(8);
        assertThat(j.get("NS").asDouble()).isGreaterThanOrEqualTo(3.5);
        assertThat(j.get("ms_per_query").asDouble()).isPositive();
        assertThat(j.get("extra_bytes_per_image").asDouble()).isBetween(1000.0, 20000.0);
        assertThat(j.get("true_match_loss").asDouble()).isBetween(0.0, 1.0);
    }
}
