package io.ocular.embed;

import io.ocular.model.DenseLocalFeatures;
import io.ocular.model.OcularException;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalFeatureExtractorTest {

    private static LocalFeatureExtractor extractor;

    @BeforeAll
    static void load() {
        Path model = SharedData.mobileNetV2();
        extractor = new LocalFeatureExtractor(model, LocalFeatureExtractor.Pyramid.standard(), 2);
    }

    @AfterAll
    static void close() {
        if (extractor != null) {
            extractor.close();
        }
    }

    @Test
    void extractsPyramidFeaturesInOriginalCoordinates() throws IOException {
        BufferedImage img = ImageIO.read(SharedData.dataset("corel1k").resolve("images/buses/300.jpg").toFile());
        long t0 = System.nanoTime();
        DenseLocalFeatures f = extractor.extract(img);
        System.out.printf("dense features: %d in %.0f ms%n", f.count(), (System.nanoTime() - t0) / 1e6);
        // 256x256 -> levels 256, 352 (362 rounded), 512 px (the 724 px level is capped at 2x = 512 and skipped)
        assertThat(f.count()).isEqualTo(16 * 16 + 22 * 22 + 32 * 32);
        assertThat(f.dim()).isEqualTo(96);
        assertThat(f.global()).hasSize(1280);
        for (int i = 0; i < f.count(); i++) {
            assertThat(f.x()[i]).isBetween(0f, 256f);
            assertThat(f.y()[i]).isBetween(0f, 256f);
            assertThat(f.norm()[i]).isGreaterThanOrEqualTo(0f);
        }
        // the first cell of the 512 px level (scale 2 input px / original px) is centred at (8/2 - 0.5)
        int off = 16 * 16 + 22 * 22;
        assertThat(f.x()[off]).isEqualTo(3.5f);
        assertThat(f.scale()[off]).isEqualTo(2f);
        double sq = 0;
        for (float v : f.global()) {
            sq += v * v;
        }
        assertThat(sq).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void tinyImagesGiveNoFeaturesAndExtremeAspectRatiosWork() {
        assertThat(extractor.extract(new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB)).count()).isZero();
        DenseLocalFeatures thin = extractor.extract(new BufferedImage(4000, 50, BufferedImage.TYPE_INT_RGB));
        assertThat(thin.count()).isPositive();
        for (int i = 0; i < thin.count(); i++) {
            assertThat(thin.y()[i]).isBetween(0f, 50f);
            assertThat(thin.x()[i]).isBetween(0f, 4000f);
        }
    }

    @Test
    void brokenModelFileIsAClearError(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = Files.write(dir.resolve("broken.onnx"), new byte[]{1, 2, 3, 4});
        assertThatThrownBy(() -> new LocalFeatureExtractor(bad, LocalFeatureExtractor.Pyramid.standard(), 1))
                .isInstanceOf(OcularException.class).hasMessageContaining("local feature model");
        assertThatThrownBy(() -> new LocalFeatureExtractor(dir.resolve("missing.onnx"),
                LocalFeatureExtractor.Pyramid.standard(), 1)).isInstanceOf(OcularException.class);
    }
}
