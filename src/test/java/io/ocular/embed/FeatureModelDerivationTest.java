package io.ocular.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.ocular.model.OcularException;
import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MobileNetV2 feature model derived in Java from the ONNX Model Zoo's original file, compared with the
 * reference derived copy in {@code ../shared/models/mobilenetv2-int8/} (made with the Python {@code onnx}
 * package): same bytes, and the same outputs on real photos.
 */
class FeatureModelDerivationTest {
    /** Largest absolute difference allowed between the two models' outputs (measured: 0, the files are equal). */
    static final float TOLERANCE = 1e-6f;

    @TempDir
    Path tmp;

    static Path original() {
        return SharedData.require("models/mobilenetv2-int8/mobilenetv2-12-int8.onnx");
    }

    @Test
    void derivingTheZooFileGivesTheReferenceFeatureModelByteForByte() throws Exception {
        byte[] zoo = Files.readAllBytes(original());
        assertThat(sha256(zoo)).isEqualTo(FeatureModelDerivation.MOBILENETV2_ORIGINAL_SHA256);

        byte[] derived = FeatureModelDerivation.derive(FeatureModelDerivation.MOBILENETV2_FEATURES, zoo, "zoo");

        assertThat(derived).hasSize(3_655_321);
        assertThat(sha256(derived)).isEqualTo(FeatureModelDerivation.MOBILENETV2_DERIVED_SHA256);
        assertThat(derived).isEqualTo(Files.readAllBytes(SharedData.mobileNetV2()));
        assertThat(FeatureModelDerivation.recipeForOriginal(sha256(zoo))).contains("mobilenetv2-features");
        assertThat(FeatureModelDerivation.recipeForOriginal(sha256(derived))).isEmpty();
    }

    @Test
    void theDerivedModelHasDynamicSizeAndBothFeatureMapsWithTheReferenceOutputsOnRealPhotos() throws Exception {
        Path derived = tmp.resolve("derived.onnx");
        FeatureModelDerivation.derive(FeatureModelDerivation.MOBILENETV2_FEATURES, original(), derived);
        assertThat(tmp.resolve("derived.onnx.deriving")).doesNotExist();

        OnnxModelInspector.Signature sig = new OnnxModelInspector().signature(derived);
        assertThat(sig.inputs()).singleElement().satisfies(i -> assertThat(i.shape()).containsExactly(-1L, 3L, -1L, -1L));
        assertThat(sig.outputs()).extracting(OnnxModelInspector.TensorSpec::name)
                .containsExactlyInAnyOrder("output", "global_features", "local_features");

        Path photos = SharedData.dataset("holidays-dev").resolve("images");
        List<Path> some;
        try (var files = Files.list(photos)) {
            some = files.filter(p -> p.toString().endsWith(".jpg")).sorted().limit(3).toList();
        }
        assertThat(some).hasSize(3);
        var env = OnnxModelInspector.environment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions();
             OrtSession mine = env.createSession(derived.toString(), o);
             OrtSession reference = env.createSession(SharedData.mobileNetV2().toString(), o)) {
            for (Path photo : some) {
                // different sizes and aspect ratios: the spatial size really is dynamic
                for (int[] wh : new int[][] {{320, 224}, {224, 416}}) {
                    float[] x = tensor(TestImages.read(photo), wh[0], wh[1]);
                    Map<String, float[]> a = run(mine, x, wh);
                    Map<String, float[]> b = run(reference, x, wh);
                    assertThat(a.get("global_features")).hasSize(1280 * (wh[1] / 32) * (wh[0] / 32));
                    assertThat(a.get("local_features")).hasSize(96 * (wh[1] / 16) * (wh[0] / 16));
                    for (String out : List.of("output", "global_features", "local_features")) {
                        assertThat(maxAbsDiff(a.get(out), b.get(out))).as(photo + " " + out).isLessThanOrEqualTo(TOLERANCE);
                        assertThat(norm(a.get(out))).as("a real, non-zero output").isGreaterThan(0.1);
                    }
                }
            }
        }
    }

    @Test
    void aFileThatIsNotTheExpectedNetworkIsRefusedClearly() throws Exception {
        byte[] tiny = Files.readAllBytes(ModelStoreTest.tinyCnn());
        assertThatThrownBy(() -> FeatureModelDerivation.derive(FeatureModelDerivation.MOBILENETV2_FEATURES, tiny, "tiny.onnx"))
                .isInstanceOf(OcularException.class)
                .hasMessageStartingWith("'tiny.onnx' is not the network Ocular expected:");

        byte[] junk = "this is no ONNX file at all, just text".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> FeatureModelDerivation.derive(FeatureModelDerivation.MOBILENETV2_FEATURES, junk, "junk.onnx"))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("'junk.onnx'");

        byte[] zoo = Files.readAllBytes(original());
        byte[] truncated = Arrays.copyOf(zoo, zoo.length / 2);
        assertThatThrownBy(() -> FeatureModelDerivation.derive(FeatureModelDerivation.MOBILENETV2_FEATURES, truncated, "cut.onnx"))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("'cut.onnx' is damaged");

        assertThatThrownBy(() -> FeatureModelDerivation.derive("resnet-features", zoo, "zoo.onnx"))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("does not know how to prepare 'zoo.onnx'");
    }

    @Test
    void derivingTwiceIsRefusedBecauseTheOutputsExistAlready() throws Exception {
        byte[] once = Files.readAllBytes(SharedData.mobileNetV2());
        assertThatThrownBy(() -> FeatureModelDerivation.derive(FeatureModelDerivation.MOBILENETV2_FEATURES, once, "f.onnx"))
                .isInstanceOf(OcularException.class)
                .hasMessageContaining("already has a tensor named 'local_features'");
    }

    // ------------------------------------------------------------------ helpers

    /** Resizes to w×h and normalises as the model expects (ImageNet mean/std), CHW. */
    static float[] tensor(BufferedImage img, int w, int h) {
        BufferedImage scaled = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        float[] mean = {0.485f, 0.456f, 0.406f};
        float[] std = {0.229f, 0.224f, 0.225f};
        float[] x = new float[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                int rgb = scaled.getRGB(xx, y);
                for (int c = 0; c < 3; c++) {
                    int v = (rgb >> (16 - 8 * c)) & 0xFF;
                    x[c * w * h + y * w + xx] = (v / 255f - mean[c]) / std[c];
                }
            }
        }
        return x;
    }

    private static Map<String, float[]> run(OrtSession s, float[] x, int[] wh) throws Exception {
        var env = OnnxModelInspector.environment();
        Map<String, float[]> out = new LinkedHashMap<>();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 3, wh[1], wh[0]});
             OrtSession.Result r = s.run(Map.of("input", t))) {
            for (var e : r) {
                FloatBuffer fb = ((OnnxTensor) e.getValue()).getFloatBuffer();
                float[] v = new float[fb.remaining()];
                fb.get(v);
                out.put(e.getKey(), v);
            }
        }
        return out;
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    private static double norm(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
