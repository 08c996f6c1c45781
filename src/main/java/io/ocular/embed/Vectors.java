package io.ocular.embed;

import io.ocular.model.OcularException;

import java.util.Arrays;

/** Small vector helpers shared by the encoders. */
final class Vectors {
    private Vectors() {
    }

    /**
     * Divides {@code v} in place by the square root of {@code squaredNorm}. An all-zero vector (e.g. a
     * black image through a ReLU network) becomes a fixed unit vector instead of NaNs, so every vector
     * the encoders return has norm 1. NaN or infinite input is an error.
     */
    static float[] l2Normalise(float[] v, double squaredNorm) {
        if (Double.isNaN(squaredNorm) || Double.isInfinite(squaredNorm)) {
            throw new OcularException("The model produced invalid numbers (NaN/infinity);"
                    + " the model file may be damaged.");
        }
        if (squaredNorm <= 1e-30) {
            float u = (float) (1.0 / Math.sqrt(v.length));
            Arrays.fill(v, u);
            return v;
        }
        float inv = (float) (1.0 / Math.sqrt(squaredNorm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    static float[] l2Normalise(float[] v) {
        double n = 0;
        for (float x : v) {
            n += (double) x * x;
        }
        return l2Normalise(v, n);
    }
}
