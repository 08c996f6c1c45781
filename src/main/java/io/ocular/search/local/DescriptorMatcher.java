package io.ocular.search.local;

import java.util.Arrays;

/**
 * Putative correspondences between two sets of unit descriptors: mutual nearest neighbours (by inner
 * product), kept when the similarity passes {@code minSimilarity} and Lowe's ratio test on Euclidean distance
 * (best / second-best &lt; {@code ratio}; 1 disables it).
 *
 * <p>Brute force instead of a KD-tree: with a few hundred 40-d features per side one comparison is ~10^7
 * multiply-adds, which the JIT vectorises when the candidate side is laid out dimension-major (the inner loop
 * is an axpy over candidates); KD-trees degrade to near-linear scans at 40 dimensions anyway, and exact
 * mutual-NN needs both directions. {@link #matchReference} is the plain scalar reference for the equivalence
 * test.
 */
public final class DescriptorMatcher {

    /** Correspondences: query feature {@code query[i]} matches candidate feature {@code candidate[i]}. */
    public record Matches(int[] query, int[] candidate, float[] similarity) {
        public int count() {
            return query.length;
        }
    }

    private final float minSimilarity;
    private final float ratio;

    public DescriptorMatcher(float minSimilarity, float ratio) {
        this.minSimilarity = minSimilarity;
        this.ratio = ratio;
    }

    public Matches match(LocalFeatures q, LocalFeatures c) {
        int n = q.count();
        int m = c.count();
        int dim = q.dim();
        if (n == 0 || m == 0 || dim != c.dim()) {
            return new Matches(new int[0], new int[0], new float[0]);
        }
        float[] qd = q.descriptors();
        float[] cd = c.descriptors();
        float[] ct = new float[dim * m]; // dimension-major copy of the candidate side
        for (int j = 0; j < m; j++) {
            for (int k = 0; k < dim; k++) {
                ct[k * m + j] = cd[j * dim + k];
            }
        }
        int[] rowBest = new int[n];
        float[] rowBestSim = new float[n];
        float[] rowSecondSim = new float[n];
        int[] colBest = new int[m];
        float[] colBestSim = new float[m];
        Arrays.fill(colBestSim, Float.NEGATIVE_INFINITY);
        float[] sims = new float[m];
        for (int i = 0; i < n; i++) {
            Arrays.fill(sims, 0f);
            int qo = i * dim;
            for (int k = 0; k < dim; k++) {
                float v = qd[qo + k];
                int co = k * m;
                for (int j = 0; j < m; j++) {
                    sims[j] += v * ct[co + j];
                }
            }
            float best = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            int arg = -1;
            for (int j = 0; j < m; j++) {
                float s = sims[j];
                if (s > best) {
                    second = best;
                    best = s;
                    arg = j;
                } else if (s > second) {
                    second = s;
                }
                if (s > colBestSim[j]) {
                    colBestSim[j] = s;
                    colBest[j] = i;
                }
            }
            rowBest[i] = arg;
            rowBestSim[i] = best;
            rowSecondSim[i] = second;
        }
        return collect(n, rowBest, rowBestSim, rowSecondSim, colBest);
    }

    /** Plain scalar reference: every pair's dot product computed independently. */
    public Matches matchReference(LocalFeatures q, LocalFeatures c) {
        int n = q.count();
        int m = c.count();
        int dim = q.dim();
        if (n == 0 || m == 0 || dim != c.dim()) {
            return new Matches(new int[0], new int[0], new float[0]);
        }
        float[][] s = new float[n][m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                float acc = 0;
                for (int k = 0; k < dim; k++) {
                    acc += q.descriptors()[i * dim + k] * c.descriptors()[j * dim + k];
                }
                s[i][j] = acc;
            }
        }
        int[] rowBest = new int[n];
        float[] rowBestSim = new float[n];
        float[] rowSecondSim = new float[n];
        for (int i = 0; i < n; i++) {
            float best = Float.NEGATIVE_INFINITY;
            float second = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                if (s[i][j] > best) {
                    second = best;
                    best = s[i][j];
                    rowBest[i] = j;
                } else if (s[i][j] > second) {
                    second = s[i][j];
                }
            }
            rowBestSim[i] = best;
            rowSecondSim[i] = second;
        }
        int[] colBest = new int[m];
        for (int j = 0; j < m; j++) {
            float best = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (s[i][j] > best) {
                    best = s[i][j];
                    colBest[j] = i;
                }
            }
        }
        return collect(n, rowBest, rowBestSim, rowSecondSim, colBest);
    }

    private Matches collect(int n, int[] rowBest, float[] rowBestSim, float[] rowSecondSim, int[] colBest) {
        int[] qi = new int[n];
        int[] ci = new int[n];
        float[] sim = new float[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            int j = rowBest[i];
            if (j < 0 || colBest[j] != i || rowBestSim[i] < minSimilarity) {
                continue;
            }
            if (ratio < 1f && rowSecondSim[i] > Float.NEGATIVE_INFINITY) {
                double d1 = Math.sqrt(Math.max(0, 2 - 2 * rowBestSim[i]));
                double d2 = Math.sqrt(Math.max(0, 2 - 2 * rowSecondSim[i]));
                if (d1 >= ratio * d2) {
                    continue;
                }
            }
            qi[k] = i;
            ci[k] = j;
            sim[k] = rowBestSim[i];
            k++;
        }
        return new Matches(Arrays.copyOf(qi, k), Arrays.copyOf(ci, k), Arrays.copyOf(sim, k));
    }
}
