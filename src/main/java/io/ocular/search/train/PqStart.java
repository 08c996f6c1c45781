package io.ocular.search.train;

import io.ocular.search.KMeans;

/**
 * SPQ's vector head and codebooks set so that training <b>starts from PQ</b> (issue 17, fourth round): the head is the
 * identity on the centred feature, written in the head's own form (linear → ReLU → linear, so the saved model and the
 * plain-Java inference path are unchanged): {@code W1 = [I; −I]}, {@code b1 = [−μ; μ]}, {@code W2 = [I, −I]},
 * {@code b2 = 0}, hence {@code y = relu(x − μ) − relu(μ − x) = x − μ}; the sub-vectors are PQ's contiguous chunks of
 * the feature, and each subspace's codebook is spherical k-means of the training views' normalised chunks. So a model
 * trained for zero steps is (spherical, centred) PQ, and training moves away from it only where the contrastive loss
 * says so. Needs {@code hidden = 2 × input} and {@code subspaces × subDim = input}.
 */
final class PqStart {
    private static final int KMEANS_ITERATIONS = 20;

    private PqStart() {
    }

    /** Throws when {@code cfg} cannot hold the identity head for {@code inDim}-d input. */
    static void check(int inDim, SpqTrainer.Config cfg) {
        if (cfg.hidden() != 2 * inDim || cfg.subspaces() * cfg.subDim() != inDim) {
            throw new IllegalArgumentException("the PQ start needs hidden = 2 x " + inDim + " and subspaces x subDim = "
                    + inDim + " (got hidden " + cfg.hidden() + ", " + cfg.subspaces() + " x " + cfg.subDim() + ")");
        }
    }

    /** {w1, b1, w2, b2, codebooks} as row-major arrays in {@link SpqTrainer}'s shapes. */
    static float[][] weights(TrainingSet data, SpqTrainer.Config cfg) {
        int dim = data.dimension();
        check(dim, cfg);
        int h = 2 * dim;
        float[] mean = mean(data);
        float[] w1 = new float[h * dim];
        float[] b1 = new float[h];
        float[] w2 = new float[dim * h];
        for (int i = 0; i < dim; i++) {
            w1[i * dim + i] = 1f;
            w1[(dim + i) * dim + i] = -1f;
            b1[i] = -mean[i];
            b1[dim + i] = mean[i];
            w2[i * h + i] = 1f;
            w2[i * h + dim + i] = -1f;
        }
        return new float[][]{w1, b1, w2, new float[dim], codebooks(data, mean, cfg)};
    }

    private static float[] mean(TrainingSet data) {
        int dim = data.dimension();
        double[] sum = new double[dim];
        long count = 0;
        for (int i = 0; i < data.size(); i++) {
            for (int v = 0; v < data.views(i); v++) {
                float[] x = data.view(i, v);
                for (int k = 0; k < dim; k++) {
                    sum[k] += x[k];
                }
                count++;
            }
        }
        float[] mean = new float[dim];
        for (int k = 0; k < dim; k++) {
            mean[k] = (float) (sum[k] / count);
        }
        return mean;
    }

    /** Per subspace: spherical k-means (k-means of unit chunks, centroids renormalised) of every view's chunk. */
    private static float[] codebooks(TrainingSet data, float[] mean, SpqTrainer.Config cfg) {
        int m = cfg.subspaces();
        int d = cfg.subDim();
        int k = cfg.codewords();
        int rows = 0;
        for (int i = 0; i < data.size(); i++) {
            rows += data.views(i);
        }
        float[] out = new float[m * k * d];
        float[] chunks = new float[rows * d];
        for (int s = 0; s < m; s++) {
            int r = 0;
            for (int i = 0; i < data.size(); i++) {
                for (int v = 0; v < data.views(i); v++) {
                    float[] x = data.view(i, v);
                    double norm = 0;
                    for (int j = 0; j < d; j++) {
                        float c = x[s * d + j] - mean[s * d + j];
                        chunks[r * d + j] = c;
                        norm += c * c;
                    }
                    float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-8));
                    for (int j = 0; j < d; j++) {
                        chunks[r * d + j] *= inv;
                    }
                    r++;
                }
            }
            float[] c = KMeans.train(chunks, rows, d, k, KMEANS_ITERATIONS, cfg.seed() + s, null);
            for (int j = 0; j < k; j++) {
                double norm = 0;
                for (int t = 0; t < d; t++) {
                    norm += c[j * d + t] * c[j * d + t];
                }
                float inv = (float) (1 / Math.max(Math.sqrt(norm), 1e-8));
                for (int t = 0; t < d; t++) {
                    out[(s * k + j) * d + t] = c[j * d + t] * inv;
                }
            }
        }
        return out;
    }
}
