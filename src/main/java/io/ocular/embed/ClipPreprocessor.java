package io.ocular.embed;

import java.awt.image.BufferedImage;

/**
 * CLIP's image preprocessing, as OpenAI's reference and Hugging Face's CLIPImageProcessor do it: RGB,
 * resize so the shorter side is 224 with Pillow's bicubic filter (antialiased, a = -0.5, separable,
 * horizontal pass first, 8-bit intermediate), centre crop 224 x 224, x / 255, then per-channel
 * mean/std normalisation. Output is a CHW float array of 3 x 224 x 224.
 *
 * <p>Hand-written because no Java library reproduces Pillow's resampler: Java2D's bicubic does not
 * widen its kernel when shrinking (it aliases badly on photos), and the embedding of a CLIP model is
 * only right for the input it was trained on. Pure functions, thread-safe.
 */
public final class ClipPreprocessor {

    public static final int SIZE = 224;
    static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};
    private static final double BICUBIC_A = -0.5;
    private static final double BICUBIC_SUPPORT = 2.0;

    private ClipPreprocessor() {
    }

    /** Preprocesses one image to a 3 x 224 x 224 CHW tensor. */
    public static float[] toTensor(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        // Shorter side to SIZE, the other scaled and truncated (torchvision/HF: int(size * long / short)).
        int nw;
        int nh;
        if (w <= h) {
            nw = SIZE;
            nh = Math.max(SIZE, (int) ((long) SIZE * h / w));
        } else {
            nh = SIZE;
            nw = Math.max(SIZE, (int) ((long) SIZE * w / h));
        }
        int[][] planes = new int[3][w * h];
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            planes[0][i] = (p >> 16) & 0xff;
            planes[1][i] = (p >> 8) & 0xff;
            planes[2][i] = p & 0xff;
        }
        // Centre crop offsets as torchvision's CenterCrop: round((h - 224) / 2), half to even.
        int top = (int) Math.rint((nh - SIZE) / 2.0);
        int left = (int) Math.rint((nw - SIZE) / 2.0);
        float[] out = new float[3 * SIZE * SIZE];
        for (int c = 0; c < 3; c++) {
            int[] resized = resizeBicubic(planes[c], w, h, nw, nh);
            int base = c * SIZE * SIZE;
            for (int y = 0; y < SIZE; y++) {
                int row = (y + top) * nw + left;
                for (int x = 0; x < SIZE; x++) {
                    out[base + y * SIZE + x] = (resized[row + x] / 255f - MEAN[c]) / STD[c];
                }
            }
        }
        return out;
    }

    /** Pillow's ImagingResample on one 8-bit plane: horizontal pass, clamp to 8 bits, vertical pass. */
    static int[] resizeBicubic(int[] src, int w, int h, int nw, int nh) {
        int[] horizontal = new int[nw * h];
        Kernel kx = kernel(w, nw);
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < nw; x++) {
                double s = 0;
                int start = kx.start[x];
                double[] wts = kx.weights[x];
                for (int k = 0; k < wts.length; k++) {
                    s += src[row + start + k] * wts[k];
                }
                horizontal[y * nw + x] = clamp8(s);
            }
        }
        int[] out = new int[nw * nh];
        Kernel ky = kernel(h, nh);
        for (int y = 0; y < nh; y++) {
            int start = ky.start[y];
            double[] wts = ky.weights[y];
            for (int x = 0; x < nw; x++) {
                double s = 0;
                for (int k = 0; k < wts.length; k++) {
                    s += horizontal[(start + k) * nw + x] * wts[k];
                }
                out[y * nw + x] = clamp8(s);
            }
        }
        return out;
    }

    private record Kernel(int[] start, double[][] weights) {
    }

    /** Pillow's precompute_coeffs for the bicubic filter (support widened by the downscale factor). */
    private static Kernel kernel(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = BICUBIC_SUPPORT * filterScale;
        int[] starts = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            int xmin = Math.max((int) (center - support + 0.5), 0);
            int xmax = Math.min((int) (center + support + 0.5), inSize);
            double[] k = new double[Math.max(xmax - xmin, 0)];
            double total = 0;
            for (int x = 0; x < k.length; x++) {
                double v = cubic((x + xmin - center + 0.5) / filterScale);
                k[x] = v;
                total += v;
            }
            if (total != 0) {
                for (int x = 0; x < k.length; x++) {
                    k[x] /= total;
                }
            }
            starts[i] = xmin;
            weights[i] = k;
        }
        return new Kernel(starts, weights);
    }

    private static double cubic(double x) {
        double a = BICUBIC_A;
        x = Math.abs(x);
        if (x < 1.0) {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    /** Pillow rounds its fixed-point sums half up and clips to 0..255. */
    private static int clamp8(double v) {
        int r = (int) Math.floor(v + 0.5);
        return r < 0 ? 0 : Math.min(r, 255);
    }
}
