package io.ocular.embed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link OnnxImageEncoder} on the tiny committed test network (no shared data needed): batching,
 * grouping by shape and the pooling arithmetic, checked against a scalar reference.
 */
class TinyCnnEncoderTest {
    @TempDir
    Path dataDir;

    @Test
    void batchesOfMixedShapesEqualSingles() {
        InstalledModel m = new ModelStore(dataDir).importFile(ModelStoreTest.tinyCnn(), Optional.of("tiny"));
        List<BufferedImage> imgs = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            imgs.add(TestImages.synthetic(i % 2 == 0 ? 320 : 480, 320, i));
        }
        imgs.add(TestImages.synthetic(3000, 200, 99)); // panorama: longer side capped
        try (OnnxImageEncoder enc = new OnnxImageEncoder(m, 1, 3)) {
            assertThat(enc.preferredShortSide()).isEqualTo(320);
            float[][] batch = enc.encode(imgs);
            for (int i = 0; i < imgs.size(); i++) {
                float[] single = enc.encode(List.of(imgs.get(i)))[0];
                assertThat(TestImages.norm(batch[i])).isCloseTo(1.0, within(1e-5));
                for (int d = 0; d < single.length; d++) {
                    assertThat(batch[i][d]).isCloseTo(single[d], within(1e-5f));
                }
            }
        }
    }

    @Test
    void averagePoolingMatchesAScalarReference() {
        // 2 channels x 3 cells, channel-major
        float[] data = {1, 2, 3, 4, 4, 4};
        float[] v = CnnFeatureTranslator.averagePoolL2(data, 2, 3);
        double n = Math.hypot(2, 4);
        assertThat(v[0]).isCloseTo((float) (2 / n), within(1e-6f));
        assertThat(v[1]).isCloseTo((float) (4 / n), within(1e-6f));
        float[] zero = CnnFeatureTranslator.averagePoolL2(new float[6], 2, 3);
        assertThat(TestImages.norm(zero)).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void resizeRuleKeepsWholeImageOnTheStrideGrid() {
        ShorterSideResize r = new ShorterSideResize(320, 640, 32);
        assertThat(r.targetSize(256, 256)).containsExactly(320, 320);
        assertThat(r.targetSize(640, 480)).containsExactly(416, 320);   // 426.7 -> 416
        assertThat(r.targetSize(480, 640)).containsExactly(320, 416);
        assertThat(r.targetSize(4000, 1000)).containsExactly(640, 160); // panorama: long side capped, aspect kept
        assertThat(r.targetSize(10000, 10)).containsExactly(640, 32);
        assertThat(r.targetSize(32, 32)).containsExactly(320, 320);
    }
}
