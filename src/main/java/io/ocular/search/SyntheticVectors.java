package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;

import java.util.Arrays;
import java.util.Random;

/**
 * Benchmark and test data that behaves like image embeddings rather than uniform noise: a Gaussian mixture on
 * the unit sphere (random unit centres, cluster sizes skewed, points = normalise(centre + spread · noise)), and
 * queries drawn near data points. On uniform noise every neighbour is about equally far, so recall numbers
 * would say nothing; here there is real neighbourhood structure for an index to find or miss.
 */
public final class SyntheticVectors {
    private SyntheticVectors() {
    }

    /**
     * @param clusters number of mixture components
     * @param spread   noise norm relative to the (unit) centre; 1.0 puts points at cosine ≈ 0.7 from their centre
     */
    public static EmbeddingMatrix clustered(int n, int dim, int clusters, double spread, long seed) {
        Random r = new Random(seed);
        float[] centres = new float[clusters * dim];
        for (int c = 0; c < clusters; c++) {
            double norm = 0;
            for (int d = 0; d < dim; d++) {
                float x = (float) r.nextGaussian();
                centres[c * dim + d] = x;
                norm += x * x;
            }
            float inv = (float) (1 / Math.sqrt(norm));
            for (int d = 0; d < dim; d++) {
                centres[c * dim + d] *= inv;
            }
        }
        // Skewed cluster sizes: weight ~ 1 / (1 + rank)^0.7 (some big themes, many small ones).
        double[] cum = new double[clusters];
        double total = 0;
        for (int c = 0; c < clusters; c++) {
            total += 1 / Math.pow(1 + c, 0.7);
            cum[c] = total;
        }
        long[] ids = new long[n];
        float[] data = new float[n * dim];
        double scale = spread / Math.sqrt(dim);
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1L;
            double u = r.nextDouble() * total;
            int c = Arrays.binarySearch(cum, u);
            c = c >= 0 ? c : Math.min(clusters - 1, -c - 1);
            pointNear(centres, c * dim, dim, scale, r, data, i * dim);
        }
        return new EmbeddingMatrix("synthetic", dim, ids, data);
    }

    /**
     * The same mixture as {@link #clustered}, drawn one vector at a time (for libraries too big for one array):
     * {@code next} fills a unit vector near one of {@code clusters} centres.
     */
    public static final class Mixture {
        private final int dim;
        private final float[] centres;
        private final double[] cum;
        private final double scale;
        private final Random r;

        public Mixture(int dim, int clusters, double spread, long seed) {
            this.dim = dim;
            this.r = new Random(seed);
            this.centres = new float[clusters * dim];
            for (int c = 0; c < clusters; c++) {
                pointNear(new float[dim], 0, dim, 1.0, r, centres, c * dim);
            }
            this.cum = new double[clusters];
            double total = 0;
            for (int c = 0; c < clusters; c++) {
                total += 1 / Math.pow(1 + c, 0.7);
                cum[c] = total;
            }
            this.scale = spread / Math.sqrt(dim);
        }

        public int dimension() {
            return dim;
        }

        /** Fills {@code out} with the next vector. */
        public void next(float[] out) {
            double u = r.nextDouble() * cum[cum.length - 1];
            int c = Arrays.binarySearch(cum, u);
            c = c >= 0 ? c : Math.min(cum.length - 1, -c - 1);
            pointNear(centres, c * dim, dim, scale, r, out, 0);
        }
    }

    /**
     * A library of {@code n} vectors grown from real ones ({@code bench search --vectors-from}): row {@code i} is
     * base row {@code i mod B} moved by Gaussian noise of norm ≈ {@code noise}, normalised — every real photo
     * becomes about n/B near-copies (cosine ≈ 1/√(1 + noise²) to it), so the index meets the real features'
     * statistics (their correlations, the classes and scenes they form) at a library's size. Ids are 1..n.
     */
    public static EmbeddingMatrix replicated(EmbeddingMatrix base, int n, double noise, long seed) {
        if (base.rows() == 0 || n < 1 || !(noise >= 0)) {
            throw new IllegalArgumentException("need base rows, n >= 1 and noise >= 0");
        }
        int dim = base.dimension();
        if ((long) n * dim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(n + " x " + dim + " floats do not fit one array");
        }
        Random r = new Random(seed);
        long[] ids = new long[n];
        float[] data = new float[n * dim];
        double scale = noise / Math.sqrt(dim);
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1L;
            pointNear(base.data(), (i % base.rows()) * dim, dim, scale, r, data, i * dim);
        }
        return new EmbeddingMatrix(base.modelId(), dim, ids, data);
    }

    /** {@code count} query vectors, each a random data row moved by noise of norm ≈ {@code spread}, normalised. */
    public static float[][] queriesNear(EmbeddingMatrix m, int count, double spread, long seed) {
        Random r = new Random(seed);
        int dim = m.dimension();
        float[][] out = new float[count][dim];
        for (int q = 0; q < count; q++) {
            int row = r.nextInt(m.rows());
            pointNear(m.data(), row * dim, dim, spread / Math.sqrt(dim), r, out[q], 0);
        }
        return out;
    }

    private static void pointNear(float[] src, int off, int dim, double scale, Random r, float[] out, int outOff) {
        double norm = 0;
        for (int d = 0; d < dim; d++) {
            float x = (float) (src[off + d] + scale * r.nextGaussian());
            out[outOff + d] = x;
            norm += x * x;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < dim; d++) {
            out[outOff + d] *= inv;
        }
    }
}
