package io.ocular.search;

import io.ocular.model.OcularException;

/**
 * The learned pooling of SPQ's map head: turns a CNN feature map ({@code channels × cells}, channel-major, values
 * ≥ 0 as after MobileNetV2's ReLU6) into one L2-normalised vector. Attention over cells,
 * {@code α = softmax_n(Σ_c w_c · x_cn)}, weights a generalised mean (GeM) with a learned exponent
 * {@code p ≥ 1}: {@code g_c = (Σ_n α_n · max(x_cn, ε)^p)^(1/p)}. With {@code w = 0} this is plain GeM, with
 * {@code p = 1} too it is average pooling. Trained with the head and codebooks ({@code search.train.SpqMapTrainer});
 * this is the plain-Java forward search uses, equal to the PyTorch one up to float rounding (tested).
 *
 * @param channels  feature-map channels (1280 for MobileNetV2's {@code global_features})
 * @param p         the GeM exponent as trained (clamped to ≥ 1 when used)
 * @param attention one weight per channel for the cell attention
 */
public record MapPooling(int channels, float p, float[] attention) {
    /** Values are clamped to this before the power (GeM needs positive inputs). */
    public static final float EPSILON = 1e-6f;

    public MapPooling {
        if (channels < 1 || attention.length != channels) {
            throw new IllegalArgumentException("one attention weight per channel (" + channels + ")");
        }
        if (!Float.isFinite(p)) {
            throw new OcularException("the SPQ map pooling has a non-finite exponent; retrain it");
        }
        for (float a : attention) {
            if (!Float.isFinite(a)) {
                throw new OcularException("the SPQ map pooling has a non-finite attention weight; retrain it");
            }
        }
        attention = attention.clone();
    }

    /** The exponent used: the trained p, at least 1. */
    public float effectiveP() {
        return Math.max(1f, p);
    }

    /**
     * @param map   {@code channels × cells} values, channel-major (ONNX's {@code [C,h,w]} flattened)
     * @param cells {@code h × w}
     * @return the pooled vector, L2-normalised
     */
    public float[] pool(float[] map, int cells) {
        if (cells < 1 || map.length != channels * cells) {
            throw new IllegalArgumentException("map has " + map.length + " values, expected " + channels + " × "
                    + cells);
        }
        double[] logits = new double[cells];
        for (int c = 0; c < channels; c++) {
            double w = attention[c];
            if (w == 0) {
                continue;
            }
            int base = c * cells;
            for (int n = 0; n < cells; n++) {
                logits[n] += w * map[base + n];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double[] alpha = new double[cells];
        double z = 0;
        for (int n = 0; n < cells; n++) {
            alpha[n] = Math.exp(logits[n] - max);
            z += alpha[n];
        }
        double pe = effectiveP();
        float[] g = new float[channels];
        double norm = 0;
        for (int c = 0; c < channels; c++) {
            int base = c * cells;
            double s = 0;
            for (int n = 0; n < cells; n++) {
                double x = Math.max(map[base + n], EPSILON);
                s += alpha[n] / z * Math.exp(pe * Math.log(x));
            }
            g[c] = (float) Math.exp(Math.log(s) / pe);
            norm += (double) g[c] * g[c];
        }
        float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-30)));
        for (int c = 0; c < channels; c++) {
            g[c] *= inv;
        }
        return g;
    }

    /** Dequantises a map stored as bytes ({@link #quantise}): value = byte × 6 / 255. */
    public static float[] dequantise(byte[] q) {
        float[] f = new float[q.length];
        for (int i = 0; i < q.length; i++) {
            f[i] = (q[i] & 0xFF) * (RELU6_MAX / 255f);
        }
        return f;
    }

    /**
     * A ReLU6 map as one byte per value (step 6/255 ≈ 0.024, a quarter of the memory of float32): the training
     * cache keeps several augmented views of every photo in RAM this way.
     */
    public static byte[] quantise(float[] map) {
        byte[] q = new byte[map.length];
        for (int i = 0; i < map.length; i++) {
            float v = Math.max(0f, Math.min(RELU6_MAX, map[i]));
            q[i] = (byte) Math.round(v * (255f / RELU6_MAX));
        }
        return q;
    }

    /** The upper bound of MobileNetV2's ReLU6 activations. */
    public static final float RELU6_MAX = 6f;
}
