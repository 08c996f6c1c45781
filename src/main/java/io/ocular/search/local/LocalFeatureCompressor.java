package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;

import java.util.Arrays;

/**
 * Dense features to compact keypoints: select the best {@code maxFeatures} (by the {@link KeypointSelector}),
 * L2-normalise, PCA-reduce, L2-normalise again (the DELF recipe).
 */
public final class LocalFeatureCompressor {
    private final KeypointSelector selector;
    private final Pca pca;
    private final int maxFeatures;
    private final float nmsRadius;

    public LocalFeatureCompressor(KeypointSelector selector, Pca pca, int maxFeatures) {
        this(selector, pca, maxFeatures, 0f);
    }

    /** @param nmsRadius suppression across pyramid levels ({@link ScaleNms}), in cells; 0 = off */
    public LocalFeatureCompressor(KeypointSelector selector, Pca pca, int maxFeatures, float nmsRadius) {
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("maxFeatures must be positive");
        }
        if (!(nmsRadius >= 0) || !Float.isFinite(nmsRadius)) {
            throw new IllegalArgumentException("nmsRadius must be finite and >= 0");
        }
        this.selector = selector;
        this.pca = pca;
        this.maxFeatures = maxFeatures;
        this.nmsRadius = nmsRadius;
    }

    public KeypointSelector selector() {
        return selector;
    }

    public Pca pca() {
        return pca;
    }

    public int maxFeatures() {
        return maxFeatures;
    }

    public LocalFeatures compress(DenseLocalFeatures dense) {
        int outDim = pca.outputDimension();
        if (dense.count() == 0) {
            return LocalFeatures.empty(dense.width(), dense.height(), outDim);
        }
        if (dense.dim() != pca.inputDimension()) {
            throw new IllegalArgumentException("PCA expects " + pca.inputDimension() + "-d features, got " + dense.dim());
        }
        int[] keep = nmsRadius > 0 ? ScaleNms.select(dense, selector.scores(dense), maxFeatures, nmsRadius)
                : selector.select(dense, maxFeatures);
        int dim = dense.dim();
        float[] src = dense.descriptors();
        float[] unit = new float[dim];
        int n = 0;
        float[] x = new float[keep.length];
        float[] y = new float[keep.length];
        float[] s = new float[keep.length];
        float[] d = new float[keep.length * outDim];
        for (int i : keep) {
            double sq = 0;
            for (int k = 0; k < dim; k++) {
                sq += src[i * dim + k] * src[i * dim + k];
            }
            if (sq < 1e-12) {
                continue; // a dead cell has no direction; it can never match meaningfully
            }
            float inv = (float) (1 / Math.sqrt(sq));
            for (int k = 0; k < dim; k++) {
                unit[k] = src[i * dim + k] * inv;
            }
            pca.project(unit, 0, d, n * outDim);
            if (!normalise(d, n * outDim, outDim)) {
                continue;
            }
            x[n] = dense.x()[i];
            y[n] = dense.y()[i];
            s[n] = dense.scale()[i];
            n++;
        }
        return new LocalFeatures(dense.width(), dense.height(), outDim, Arrays.copyOf(x, n),
                Arrays.copyOf(y, n), Arrays.copyOf(s, n), Arrays.copyOf(d, n * outDim));
    }

    static boolean normalise(float[] v, int off, int len) {
        double sq = 0;
        for (int k = 0; k < len; k++) {
            sq += v[off + k] * v[off + k];
        }
        if (sq < 1e-12) {
            return false;
        }
        float inv = (float) (1 / Math.sqrt(sq));
        for (int k = 0; k < len; k++) {
            v[off + k] *= inv;
        }
        return true;
    }
}
