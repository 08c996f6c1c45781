package io.ocular.embed;

import io.ocular.model.OcularException;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BuiltinDescriptorTest {
    private final BuiltinDescriptor d = new BuiltinDescriptor();

    @Test
    void describesItself() {
        assertThat(d.modelId()).isEqualTo("builtin-v1");
        assertThat(d.dimension()).isEqualTo(BuiltinDescriptor.DIMENSION).isEqualTo(424);
        assertThat(BuiltinDescriptor.info().dimension()).isEqualTo(d.dimension());
        assertThat(BuiltinDescriptor.info().sha256()).isEqualTo("builtin-v1");
    }

    @Test
    void unitNormDeterministicAndBatchIndependent() {
        List<BufferedImage> imgs = List.of(TestImages.synthetic(200, 150, 1), TestImages.synthetic(90, 300, 2),
                TestImages.synthetic(5, 3, 3), new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY));
        float[][] a = d.encode(imgs);
        float[][] b = d.encode(imgs);
        for (int i = 0; i < imgs.size(); i++) {
            assertThat(a[i]).hasSize(d.dimension());
            assertThat(TestImages.norm(a[i])).isCloseTo(1.0, within(1e-5));
            assertThat(a[i]).containsExactly(b[i]);
            assertThat(d.encode(List.of(imgs.get(i)))[0]).containsExactly(a[i]);
        }
    }

    @Test
    void cropsOfOnePhotoAreCloserThanUnrelatedPhotos() {
        BufferedImage horse = TestImages.corel("horses", 703);
        BufferedImage bus = TestImages.corel("buses", 301);
        BufferedImage flower = TestImages.corel("flowers", 601);
        List<BufferedImage> imgs = new ArrayList<>(List.of(
                horse.getSubimage(0, 0, 220, 220), horse.getSubimage(30, 30, 220, 220), bus, flower));
        float[][] v = d.encode(imgs);
        double sameScene = TestImages.dot(v[0], v[1]);
        assertThat(sameScene).isGreaterThan(TestImages.dot(v[0], v[2]));
        assertThat(sameScene).isGreaterThan(TestImages.dot(v[0], v[3]));
        assertThat(sameScene).isGreaterThan(TestImages.dot(v[2], v[3]));
    }

    @Test
    void syntheticVariantsStayClose() {
        BufferedImage a = TestImages.synthetic(240, 180, 11);
        BufferedImage shrunk = new BufferedImage(120, 90, BufferedImage.TYPE_INT_RGB);
        shrunk.createGraphics().drawImage(a, 0, 0, 120, 90, null);
        BufferedImage other = TestImages.synthetic(240, 180, 12);
        float[][] v = d.encode(List.of(a, shrunk, other));
        assertThat(TestImages.dot(v[0], v[1])).isGreaterThan(TestImages.dot(v[0], v[2]));
    }

    @Test
    void missingImageIsAClearError() {
        List<BufferedImage> imgs = new ArrayList<>();
        imgs.add(null);
        assertThatThrownBy(() -> d.encode(imgs)).isInstanceOf(OcularException.class)
                .hasMessageContaining("missing or empty");
    }
}
