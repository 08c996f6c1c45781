package io.ocular.search;

import java.util.Arrays;

/**
 * Which way up a photo is, from its global vectors: a linear (multinomial logistic) classifier of "turned 0, 1,
 * 2, 3 quarter turns clockwise from upright", fitted without labels on a library's own photos — each photo
 * turned by 0..3 quarter turns is taken as an example of that class (most photos are upright, so the sideways
 * ones are label noise the fit averages out). A photo's upright turn is then decided from all four of its
 * turned views at once: the correction c whose views {@code view[(c + t) % 4]} look most like class t for every
 * t. That rule is equivariant by construction: turning a photo shifts its views and so shifts its correction,
 * so a sideways copy of a photo gets the same upright vector as the photo.
 *
 * <p>Hand-written: a softmax regression over ~1,300 inputs and 4 classes fitted by full-batch gradient descent
 * in well under a second; no library on the classpath does this without a training runtime.
 */
public final class OrientationClassifier {
    private final float[] mean;
    private final float[][] weights; // [4][d]
    private final float[] bias;

    private OrientationClassifier(float[] mean, float[][] weights, float[] bias) {
        this.mean = mean;
        this.weights = weights;
        this.bias = bias;
    }

    /**
     * @param views      per photo its global vectors turned 0, 1, 2, 3 quarter turns clockwise (null rows skipped)
     * @param iterations gradient steps
     * @param l2         weight decay
     */
    public static OrientationClassifier fit(float[][][] views, int iterations, float l2) {
        int d = -1;
        int n = 0;
        for (float[][] v : views) {
            if (v != null && v.length == 4) {
                d = v[0].length;
                n++;
            }
        }
        if (n < 2) {
            throw new IllegalArgumentException("an orientation classifier needs at least 2 photos in 4 turns");
        }
        float[] mean = new float[d];
        for (float[][] v : views) {
            if (v != null && v.length == 4) {
                for (float[] x : v) {
                    for (int j = 0; j < d; j++) {
                        mean[j] += x[j] / (4f * n);
                    }
                }
            }
        }
        float[][] w = new float[4][d];
        float[] b = new float[4];
        float lr = 1f;
        double[] p = new double[4];
        for (int it = 0; it < iterations; it++) {
            float[][] gw = new float[4][d];
            float[] gb = new float[4];
            for (float[][] v : views) {
                if (v == null || v.length != 4) {
                    continue;
                }
                for (int t = 0; t < 4; t++) {
                    probabilities(v[t], mean, w, b, p);
                    for (int c = 0; c < 4; c++) {
                        float g = (float) (p[c] - (c == t ? 1 : 0));
                        gb[c] += g;
                        float[] gc = gw[c];
                        float[] x = v[t];
                        for (int j = 0; j < d; j++) {
                            gc[j] += g * (x[j] - mean[j]);
                        }
                    }
                }
            }
            float scale = 1f / (4f * n);
            for (int c = 0; c < 4; c++) {
                for (int j = 0; j < d; j++) {
                    w[c][j] -= lr * (gw[c][j] * scale + l2 * w[c][j]);
                }
                b[c] -= lr * gb[c] * scale;
            }
        }
        return new OrientationClassifier(mean, w, b);
    }

    /** Class probabilities of one view: turned 0, 1, 2, 3 quarter turns clockwise from upright. */
    public double[] probabilities(float[] view) {
        double[] p = new double[4];
        probabilities(view, mean, weights, bias, p);
        return p;
    }

    /**
     * The quarter turns clockwise that make the photo upright, decided from its four turned views.
     *
     * @param fourViews the photo's vectors turned 0, 1, 2, 3 quarter turns clockwise
     */
    public int uprightTurns(float[][] fourViews) {
        double[][] logp = new double[4][];
        for (int v = 0; v < 4; v++) {
            logp[v] = probabilities(fourViews[v]);
            for (int c = 0; c < 4; c++) {
                logp[v][c] = Math.log(logp[v][c] + 1e-12);
            }
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 4; c++) {
            double s = 0;
            for (int t = 0; t < 4; t++) {
                s += logp[(c + t) % 4][t];
            }
            if (s > bestScore + 1e-12) {
                bestScore = s;
                best = c;
            }
        }
        return best;
    }

    private static void probabilities(float[] x, float[] mean, float[][] w, float[] b, double[] out) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < 4; c++) {
            double z = b[c];
            float[] wc = w[c];
            for (int j = 0; j < x.length; j++) {
                z += wc[j] * (x[j] - mean[j]);
            }
            out[c] = z;
            max = Math.max(max, z);
        }
        double sum = 0;
        for (int c = 0; c < 4; c++) {
            out[c] = Math.exp(out[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < 4; c++) {
            out[c] /= sum;
        }
    }

    @Override
    public String toString() {
        return "OrientationClassifier[d=" + mean.length + ", bias=" + Arrays.toString(bias) + "]";
    }
}
