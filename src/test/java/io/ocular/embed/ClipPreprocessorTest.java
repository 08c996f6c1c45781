package io.ocular.embed;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;

import static org.assertj.core.api.Assertions.assertThat;

class ClipPreprocessorTest {

    /**
     * {width, height, sum of R, sum of G, sum of B} over the 224 x 224 crop, and sampled pixels
     * {x, y, r, g, b}, from Pillow 9.4 itself: scripts/pil_clip_golden.py.
     */
    private static final long[][] PIL_SUMS = {
            {301, 203, 6400793, 6318013, 6679529},
            {1000, 700, 6397538, 6341487, 6403506},
            {50, 80, 6492550, 5864875, 1740827},
            {224, 224, 6394880, 6221817, 6282752},
    };
    private static final int[][][] PIL_SAMPLES = {
            {{0, 0, 124, 0, 49}, {1, 0, 136, 0, 50}, {17, 33, 19, 128, 99}, {111, 112, 94, 210, 242},
                    {200, 5, 208, 71, 226}, {223, 223, 70, 0, 49}, {64, 190, 35, 230, 199}},
            {{0, 0, 180, 62, 151}, {1, 0, 227, 67, 154}, {17, 33, 50, 120, 165}, {111, 112, 229, 129, 163},
                    {200, 5, 226, 45, 21}, {223, 223, 29, 186, 238}, {64, 190, 39, 127, 26}},
            {{0, 0, 101, 0, 15}, {1, 0, 101, 0, 15}, {17, 33, 198, 25, 20}, {111, 112, 82, 66, 53},
                    {200, 5, 173, 230, 54}, {223, 223, 65, 30, 119}, {64, 190, 68, 25, 55}},
            {{0, 0, 0, 0, 0}, {1, 0, 13, 0, 1}, {17, 33, 196, 187, 48}, {111, 112, 179, 48, 31},
                    {200, 5, 75, 77, 205}, {223, 223, 108, 192, 0}, {64, 190, 114, 213, 254}},
    };

    static BufferedImage synthetic(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = (x * 13 + y * 7) % 256;
                int g = ((x * y) / 3) % 256;
                int b = (x ^ y) & 255;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /** Undoes the normalisation to the 8-bit crop the tensor was made from. */
    private static int pixel(float[] t, int c, int x, int y) {
        float v = t[c * 224 * 224 + y * 224 + x] * ClipPreprocessor.STD[c] + ClipPreprocessor.MEAN[c];
        return Math.round(v * 255f);
    }

    @Test
    void matchesPillowOnSyntheticImages() {
        for (int k = 0; k < PIL_SUMS.length; k++) {
            int w = (int) PIL_SUMS[k][0];
            int h = (int) PIL_SUMS[k][1];
            float[] t = ClipPreprocessor.toTensor(synthetic(w, h));
            assertThat(t).hasSize(3 * 224 * 224);
            for (int c = 0; c < 3; c++) {
                long sum = 0;
                for (int y = 0; y < 224; y++) {
                    for (int x = 0; x < 224; x++) {
                        sum += pixel(t, c, x, y);
                    }
                }
                // Pillow uses 22-bit fixed-point weights; allow at most a rounding step on a few pixels.
                assertThat(Math.abs(sum - PIL_SUMS[k][2 + c])).as("image %dx%d channel %d", w, h, c)
                        .isLessThanOrEqualTo(224 * 224 / 50);
            }
            for (int[] s : PIL_SAMPLES[k]) {
                for (int c = 0; c < 3; c++) {
                    assertThat(pixel(t, c, s[0], s[1])).as("image %dx%d pixel (%d,%d) channel %d", w, h, s[0], s[1], c)
                            .isBetween(s[2 + c] - 1, s[2 + c] + 1);
                }
            }
        }
    }

    @Test
    void equalsIndependentReferenceWithinTolerance() {
        for (int[] size : new int[][]{{301, 203}, {203, 301}, {640, 480}, {90, 60}, {224, 500}}) {
            BufferedImage img = synthetic(size[0], size[1]);
            float[] actual = ClipPreprocessor.toTensor(img);
            double[] expected = reference(img);
            double maxDiff = 0;
            for (int i = 0; i < actual.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
            }
            // One 8-bit step after normalisation is 1/255/0.26 = 0.015; Pillow rounds between passes.
            assertThat(maxDiff).as("size %dx%d", size[0], size[1]).isLessThan(0.031);
        }
    }

    @Test
    void solidColourGivesTheNormalisedConstant() {
        BufferedImage img = new BufferedImage(500, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 500; x++) {
                img.setRGB(x, y, 0xC81E64);
            }
        }
        float[] t = ClipPreprocessor.toTensor(img);
        int[] rgb = {0xC8, 0x1E, 0x64};
        for (int c = 0; c < 3; c++) {
            double want = (rgb[c] / 255.0 - ClipPreprocessor.MEAN[c]) / ClipPreprocessor.STD[c];
            for (int i = 0; i < 224 * 224; i += 997) {
                assertThat((double) t[c * 224 * 224 + i]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }

    /**
     * Written from the description of the algorithm, not from the main code: direct double-precision
     * resampling (Keys cubic, a = -0.5, kernel widened by the downscale factor, pixel centres at +0.5),
     * rows then columns (clipped to 0..255 between passes, but not rounded), centre crop, /255, mean/std.
     */
    private static double[] reference(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        double s = 224.0 / Math.min(w, h);
        int nw = w <= h ? 224 : (int) (224.0 * w / h);
        int nh = w <= h ? (int) (224.0 * h / w) : 224;
        double[][][] rows = new double[3][h][nw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < nw; x++) {
                double[] acc = new double[3];
                double norm = 0;
                double scale = (double) w / nw;
                double fs = Math.max(1, scale);
                double centre = (x + 0.5) * scale;
                for (int i = 0; i < w; i++) {
                    double wt = keys((i + 0.5 - centre) / fs);
                    if (wt == 0) {
                        continue;
                    }
                    int p = img.getRGB(i, y);
                    acc[0] += wt * ((p >> 16) & 255);
                    acc[1] += wt * ((p >> 8) & 255);
                    acc[2] += wt * (p & 255);
                    norm += wt;
                }
                for (int c = 0; c < 3; c++) {
                    rows[c][y][x] = Math.max(0, Math.min(255, acc[c] / norm)); // Pillow stores the pass as 8 bits
                }
            }
        }
        int top = (int) Math.rint((nh - 224) / 2.0);
        int left = (int) Math.rint((nw - 224) / 2.0);
        double[] out = new double[3 * 224 * 224];
        double scale = (double) h / nh;
        double fs = Math.max(1, scale);
        for (int y = 0; y < 224; y++) {
            double centre = (y + top + 0.5) * scale;
            for (int x = 0; x < 224; x++) {
                for (int c = 0; c < 3; c++) {
                    double acc = 0;
                    double norm = 0;
                    for (int j = 0; j < h; j++) {
                        double wt = keys((j + 0.5 - centre) / fs);
                        if (wt != 0) {
                            acc += wt * rows[c][j][x + left];
                            norm += wt;
                        }
                    }
                    double v = Math.max(0, Math.min(255, Math.round(acc / norm)));
                    out[c * 224 * 224 + y * 224 + x] = (v / 255.0 - ClipPreprocessor.MEAN[c]) / ClipPreprocessor.STD[c];
                }
            }
        }
        assertThat(s).isPositive();
        return out;
    }

    private static double keys(double t) {
        double a = -0.5;
        t = Math.abs(t);
        if (t <= 1) {
            return (a + 2) * t * t * t - (a + 3) * t * t + 1;
        }
        if (t < 2) {
            return a * t * t * t - 5 * a * t * t + 8 * a * t - 4 * a;
        }
        return 0;
    }
}
