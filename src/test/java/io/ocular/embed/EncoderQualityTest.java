package io.ocular.embed;

import io.ocular.testing.SharedData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retrieval quality on the full corel1k set (every image a query, relevant = the other 99 of its class):
 * {@code mvn -B -o test -Pmodels -Dtest=EncoderQualityTest}. Prints the numbers it checks.
 */
@Tag("models")
class EncoderQualityTest {

    record Corel(List<BufferedImage> images, int[] labels) {
    }

    static Corel corel() {
        Path ds = SharedData.dataset("corel1k");
        List<String[]> gt = TestImages.groundTruth(ds);
        List<BufferedImage> imgs = new ArrayList<>(gt.size());
        int[] labels = new int[gt.size()];
        for (int i = 0; i < gt.size(); i++) {
            imgs.add(TestImages.read(ds.resolve(gt.get(i)[0])));
            labels[i] = Integer.parseInt(gt.get(i)[2]);
        }
        return new Corel(imgs, labels);
    }

    static float[][] encodeAll(List<BufferedImage> imgs, Function<List<BufferedImage>, float[][]> enc, int batch) {
        float[][] out = new float[imgs.size()][];
        for (int i = 0; i < imgs.size(); i += batch) {
            float[][] part = enc.apply(imgs.subList(i, Math.min(imgs.size(), i + batch)));
            System.arraycopy(part, 0, out, i, part.length);
        }
        return out;
    }

    static String report(String what, float[][] vs, int[] labels) {
        return String.format("%-40s mAP %.4f  P@10 %.4f  P@20 %.4f", what,
                RetrievalMetrics.meanAveragePrecision(vs, labels), RetrievalMetrics.precisionAt(vs, labels, 10),
                RetrievalMetrics.precisionAt(vs, labels, 20));
    }

    @Test
    void builtinBeatsAPlainColourHistogram() {
        Corel c = corel();
        float[][] plain = encodeAll(c.images(), EncoderQualityTest::plainHsvHistogram, 50);
        float[][] builtin;
        try (BuiltinDescriptor d = new BuiltinDescriptor()) {
            builtin = encodeAll(c.images(), d::encode, 50);
        }
        double mapPlain = RetrievalMetrics.meanAveragePrecision(plain, c.labels());
        double mapBuiltin = RetrievalMetrics.meanAveragePrecision(builtin, c.labels());
        System.out.println(report("corel1k plain HSV 8x3x3 histogram", plain, c.labels()));
        System.out.println(report("corel1k " + BuiltinDescriptor.MODEL_ID, builtin, c.labels()));
        assertThat(mapBuiltin).isGreaterThan(mapPlain + 0.05);
    }

    @Test
    void mobileNetV2OnCorel(@TempDir Path dataDir) {
        InstalledModel m = new ModelStore(dataDir).importFile(SharedData.mobileNetV2(), Optional.empty());
        Corel c = corel();
        float[][] vs;
        try (OnnxImageEncoder enc = new OnnxImageEncoder(m)) {
            vs = encodeAll(c.images(), enc::encode, 16);
        }
        System.out.println(report("corel1k mobilenetv2-int8 global avg-pool", vs, c.labels()));
        assertThat(RetrievalMetrics.meanAveragePrecision(vs, c.labels())).isGreaterThan(0.75);
    }

    /** The classic baseline: one HSV histogram (8 hues x 3 saturations x 3 values) of the whole image. */
    static float[][] plainHsvHistogram(List<BufferedImage> imgs) {
        float[][] out = new float[imgs.size()][];
        float[] hsv = new float[3];
        for (int n = 0; n < imgs.size(); n++) {
            BufferedImage img = imgs.get(n);
            float[] h = new float[72];
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int p = img.getRGB(x, y);
                    Color.RGBtoHSB((p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF, hsv);
                    int hb = Math.min(7, (int) (hsv[0] * 8));
                    int sb = Math.min(2, (int) (hsv[1] * 3));
                    int vb = Math.min(2, (int) (hsv[2] * 3));
                    h[hb * 9 + sb * 3 + vb]++;
                }
            }
            out[n] = Vectors.l2Normalise(h);
        }
        return out;
    }
}
