package io.ocular.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * Lloyd's k-means (squared Euclidean distance) with k-means++ seeding and a fixed seed, so training is
 * reproducible. Hand-written because the only JVM k-means implementations (Smile, Commons Math) pull in large
 * dependencies, box every point, and are not tuned for many small subspaces; this one works on a flat
 * row-major float array and parallelises the assignment step on the {@link ScanPool}.
 */
public final class KMeans {
    private KMeans() {
    }

    /**
     * @param data  {@code n} rows of {@code dim} floats, row-major
     * @param pool  parallel assignment; null runs on the calling thread
     * @return {@code k} centroids, row-major
     */
    public static float[] train(float[] data, int n, int dim, int k, int iterations, long seed, ScanPool pool) {
        if (n < 1) {
            throw new IllegalArgumentException("k-means needs at least one training vector");
        }
        float[] centroids = new float[k * dim];
        if (n <= k) {
            // Too few points to cluster: every point is a centroid (repeated to fill k).
            for (int c = 0; c < k; c++) {
                System.arraycopy(data, (c % n) * dim, centroids, c * dim, dim);
            }
            return centroids;
        }
        Random rnd = new Random(seed);
        seedPlusPlus(data, n, dim, k, rnd, centroids);
        int[] assign = new int[n];
        Arrays.fill(assign, -1);
        float[] norms = new float[k];
        double[] sums = new double[k * dim];
        int[] counts = new int[k];
        for (int it = 0; it < iterations; it++) {
            norms(centroids, k, dim, norms);
            int changed = assignAll(data, n, dim, centroids, norms, k, assign, pool);
            Arrays.fill(sums, 0);
            Arrays.fill(counts, 0);
            for (int i = 0; i < n; i++) {
                int c = assign[i];
                counts[c]++;
                for (int d = 0, a = i * dim, b = c * dim; d < dim; d++) {
                    sums[b + d] += data[a + d];
                }
            }
            for (int c = 0; c < k; c++) {
                if (counts[c] == 0) {
                    // Empty cluster: restart it on a random point (perturbed so it is not a duplicate).
                    int p = rnd.nextInt(n);
                    for (int d = 0; d < dim; d++) {
                        centroids[c * dim + d] = data[p * dim + d] * (1f + 1e-3f * (float) rnd.nextGaussian());
                    }
                } else {
                    double inv = 1.0 / counts[c];
                    for (int d = 0; d < dim; d++) {
                        centroids[c * dim + d] = (float) (sums[c * dim + d] * inv);
                    }
                }
            }
            if (changed == 0) {
                break;
            }
        }
        return centroids;
    }

    private static void seedPlusPlus(float[] data, int n, int dim, int k, Random rnd, float[] centroids) {
        double[] minDist = new double[n];
        int first = rnd.nextInt(n);
        System.arraycopy(data, first * dim, centroids, 0, dim);
        double total = 0;
        for (int i = 0; i < n; i++) {
            minDist[i] = dist2(data, i * dim, centroids, 0, dim);
            total += minDist[i];
        }
        for (int c = 1; c < k; c++) {
            int pick;
            if (total <= 0) {
                pick = rnd.nextInt(n);
            } else {
                double r = rnd.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) {
                    r -= minDist[i];
                    if (r <= 0) {
                        pick = i;
                        break;
                    }
                }
            }
            System.arraycopy(data, pick * dim, centroids, c * dim, dim);
            total = 0;
            for (int i = 0; i < n; i++) {
                double d = dist2(data, i * dim, centroids, c * dim, dim);
                if (d < minDist[i]) {
                    minDist[i] = d;
                }
                total += minDist[i];
            }
        }
    }

    private static double dist2(float[] a, int aOff, float[] b, int bOff, int dim) {
        double s = 0;
        for (int d = 0; d < dim; d++) {
            double x = a[aOff + d] - b[bOff + d];
            s += x * x;
        }
        return s;
    }

    static void norms(float[] centroids, int k, int dim, float[] out) {
        for (int c = 0; c < k; c++) {
            out[c] = VectorMath.dot(centroids, c * dim, centroids, c * dim, dim);
        }
    }

    /** Assigns every row to its nearest centroid; returns how many assignments changed. */
    static int assignAll(float[] data, int n, int dim, float[] centroids, float[] norms, int k, int[] assign,
                         ScanPool pool) {
        int threads = pool == null ? 1 : Math.min(pool.parallelism(), Math.max(1, n / 2048));
        if (threads <= 1) {
            return assignRange(data, 0, n, dim, centroids, norms, k, assign);
        }
        List<Callable<Integer>> tasks = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) n * t / threads);
            int to = (int) ((long) n * (t + 1) / threads);
            tasks.add(() -> assignRange(data, from, to, dim, centroids, norms, k, assign));
        }
        int changed = 0;
        for (int c : pool.invokeAll(tasks)) {
            changed += c;
        }
        return changed;
    }

    private static int assignRange(float[] data, int from, int to, int dim, float[] centroids, float[] norms, int k,
                                   int[] assign) {
        float[] x = new float[dim];
        float[] s = new float[4];
        int changed = 0;
        for (int i = from; i < to; i++) {
            System.arraycopy(data, i * dim, x, 0, dim);
            int best = nearest(x, centroids, norms, k, dim, s);
            if (assign[i] != best) {
                assign[i] = best;
                changed++;
            }
        }
        return changed;
    }

    /**
     * The centroid nearest to {@code x} in Euclidean distance: argmin of {@code |c|^2 - 2<x, c>}.
     * {@code scratch} is a float[4].
     */
    static int nearest(float[] x, float[] centroids, float[] norms, int k, int dim, float[] scratch) {
        int best = 0;
        float bestD = Float.POSITIVE_INFINITY;
        int c = 0;
        for (; c + 4 <= k; c += 4) {
            VectorMath.dot4(x, centroids, c * dim, dim, scratch, 0);
            for (int j = 0; j < 4; j++) {
                float d = norms[c + j] - 2 * scratch[j];
                if (d < bestD) {
                    bestD = d;
                    best = c + j;
                }
            }
        }
        for (; c < k; c++) {
            float d = norms[c] - 2 * VectorMath.dot(x, 0, centroids, c * dim, dim);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return best;
    }
}
