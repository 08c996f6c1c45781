package io.ocular.embed;

import io.ocular.model.OcularException;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The real MobileNetV2 features model, imported into a temporary store (skipped without ../shared). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnnxImageEncoderTest {
    private OnnxImageEncoder encoder;

    @BeforeAll
    void open(@TempDir Path dataDir) {
        Path onnx = SharedData.mobileNetV2();
        InstalledModel m = new ModelStore(dataDir).importFile(onnx, Optional.empty());
        encoder = new OnnxImageEncoder(m, 2, 16);
    }

    @AfterAll
    void close() {
        if (encoder != null) {
            encoder.close();
        }
    }

    @Test
    void describesItself() {
        assertThat(encoder.modelId()).isEqualTo("mobilenetv2-int8");
        assertThat(encoder.dimension()).isEqualTo(1280);
        assertThat(encoder.preferredShortSide()).isEqualTo(320);
    }

    @Test
    void vectorsAreUnitNormAndDeterministic() {
        List<BufferedImage> imgs = List.of(TestImages.corel("horses", 700), TestImages.corel("buses", 300));
        float[][] a = encoder.encode(imgs);
        float[][] b = encoder.encode(imgs);
        assertThat(a).hasNumberOfRows(2);
        for (int i = 0; i < 2; i++) {
            assertThat(a[i]).hasSize(1280);
            assertThat(TestImages.norm(a[i])).isCloseTo(1.0, within(1e-5));
            assertThat(a[i]).containsExactly(b[i]);
        }
        assertThat(TestImages.dot(a[0], a[1])).isLessThan(0.95);
    }

    @Test
    void embedsAtASmallerInputWhenAsked() {
        List<BufferedImage> imgs = List.of(TestImages.corel("horses", 700), TestImages.corel("buses", 300));
        assertThat(encoder.takesAnySize()).isTrue();
        float[][] full = encoder.encode(imgs);
        float[][] small = encoder.encode(imgs, 160);
        assertThat(encoder.encode(imgs, 160)).isDeepEqualTo(small);
        assertThat(encoder.encode(imgs, encoder.preferredShortSide())).isDeepEqualTo(full);
        for (int i = 0; i < 2; i++) {
            assertThat(small[i]).hasSize(1280).isNotEqualTo(full[i]);
            assertThat(TestImages.norm(small[i])).isCloseTo(1.0, within(1e-5));
            assertThat(dot(small[i], full[i])).as("the same photo at two sizes").isGreaterThan(dot(small[i], full[1 - i]));
        }
        assertThatThrownBy(() -> encoder.encode(imgs, 16)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 32");
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }

    @Test
    void batchOfFourEqualsFourSingles() {
        List<BufferedImage> imgs = List.of(TestImages.corel("horses", 701), TestImages.corel("flowers", 600),
                TestImages.corel("beaches", 100), TestImages.corel("food", 900));
        float[][] batch = encoder.encode(imgs);
        for (int i = 0; i < imgs.size(); i++) {
            float[] single = encoder.encode(List.of(imgs.get(i)))[0];
            for (int d = 0; d < single.length; d++) {
                assertThat(batch[i][d]).as("image %d dim %d", i, d).isCloseTo(single[d], within(1e-4f));
            }
        }
    }

    @Test
    void imagesOfDifferentShapesShareOneCall() {
        BufferedImage square = TestImages.corel("horses", 702);
        BufferedImage landscape = TestImages.ukbench(0);
        BufferedImage portrait = TestImages.synthetic(300, 500, 7);
        BufferedImage panorama = TestImages.synthetic(2000, 300, 8);
        BufferedImage tiny = TestImages.synthetic(20, 12, 9);
        List<BufferedImage> imgs = List.of(square, landscape, portrait, square, panorama, tiny);
        float[][] vs = encoder.encode(imgs);
        assertThat(vs).hasNumberOfRows(6);
        for (float[] v : vs) {
            assertThat(TestImages.norm(v)).isCloseTo(1.0, within(1e-5));
        }
        assertThat(vs[3]).containsExactly(vs[0]);
        float[] landscapeAlone = encoder.encode(List.of(landscape))[0];
        for (int d = 0; d < landscapeAlone.length; d++) {
            assertThat(vs[1][d]).isCloseTo(landscapeAlone[d], within(1e-4f));
        }
    }

    @Test
    void ukbench56NisterStewenius() {
        Path ds = SharedData.dataset("ukbench56");
        List<String[]> gt = TestImages.groundTruth(ds);
        List<BufferedImage> imgs = new ArrayList<>();
        int[] group = new int[gt.size()];
        for (int i = 0; i < gt.size(); i++) {
            imgs.add(TestImages.read(ds.resolve("images").resolve(gt.get(i)[0])));
            group[i] = Integer.parseInt(gt.get(i)[1]);
        }
        float[][] vs = encoder.encode(imgs);
        double ns = RetrievalMetrics.nisterStewenius(vs, group);
        System.out.printf("MobileNetV2 global_features avg-pool: ukbench56 N-S = %.3f%n", ns);
        assertThat(ns).isGreaterThanOrEqualTo(3.0);
    }

    @Test
    void concurrentCallersGetTheSameVectors() throws Exception {
        List<BufferedImage> imgs = List.of(TestImages.corel("elephants", 500), TestImages.corel("dinosaurs", 400));
        float[][] expected = encoder.encode(imgs);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[][]>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(pool.submit(() -> encoder.encode(imgs)));
            }
            for (Future<float[][]> f : fs) {
                float[][] got = f.get();
                assertThat(got[0]).containsExactly(expected[0]);
                assertThat(got[1]).containsExactly(expected[1]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingImageIsAClearError() {
        List<BufferedImage> imgs = new ArrayList<>();
        imgs.add(null);
        assertThatThrownBy(() -> encoder.encode(imgs)).isInstanceOf(OcularException.class)
                .hasMessageContaining("missing or empty");
        assertThat(encoder.encode(List.of())).isEmpty();
    }
}
