package io.ocular.search;

import com.sun.management.OperatingSystemMXBean;
import io.ocular.store.EmbeddingMatrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleConsumer;

/**
 * Trains the quantisers of a {@link PqIndex} on a deterministic sample of the vectors: an optional OPQ
 * rotation, optional IVF coarse centroids, then k-means product-quantiser codebooks over the (rotated)
 * vectors or their residuals to the nearest coarse centroid; then encodes every vector.
 */
final class PqTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(PqTrainer.class);

    private PqTrainer() {
    }

    static PqIndex train(EmbeddingMatrix matrix, PqConfig config, ScanPool pool, Reranker reranker) {
        VectorMath.requireRows(matrix.ids(), matrix.data(), matrix.dimension());
        return train(VectorRows.of(matrix), config, pool, reranker);
    }

    /** Rows encoded per batch: bounds the floats held at once while encoding (never all n·dim). */
    static final int ENCODE_BATCH = 16_384;

    /**
     * Trains on a sample of {@code matrix} and encodes every row in batches of {@value #ENCODE_BATCH}, so the
     * vectors are never copied into one array (they may be a memory-mapped file of any size).
     */
    static PqIndex train(VectorRows matrix, PqConfig config, ScanPool pool, Reranker reranker) {
        return train(matrix, config, pool, reranker, done -> { });
    }

    /** The most sample rows the product quantiser's codebooks are trained on (the default sample). */
    static final int PQ_TRAIN_ROWS = 16_384;

    /** Share of a build's progress given to training (the rest is encoding, in proportion to rows encoded). */
    static final double TRAINING_SHARE = 0.15;

    /**
     * {@link #train(VectorRows, PqConfig, ScanPool, Reranker)} reporting progress, a fraction in [0, 1]: {@link
     * #TRAINING_SHARE} once the quantisers are trained, then after every batch encoded. Logs the process CPU
     * time of both phases (the wall time on a shared machine says little).
     */
    static PqIndex train(VectorRows matrix, PqConfig config, ScanPool pool, Reranker reranker,
                         DoubleConsumer progress) {
        int n = matrix.rows();
        int dim = matrix.dimension();
        if (n == 0) {
            throw new IllegalArgumentException("cannot train compact codes without any vectors");
        }
        if (config.subspaces() > dim) {
            throw new IllegalArgumentException(config.subspaces() + " subspaces do not fit " + dim + " dimensions");
        }
        long t0 = System.nanoTime();
        long cpu0 = processCpuNanos();
        progress.accept(0);
        int s = Math.min(n, config.trainSample());
        float[] sample = sample(matrix, s, config.seed());
        OpqRotation rotation = null;
        if (config.opq()) {
            int opqN = Math.min(s, 8192);
            rotation = OpqRotation.train(Arrays.copyOf(sample, opqN * dim), opqN, dim, config.subspaces(),
                    config.opqIterations(), 4, config.seed(), pool).rotation();
            float[] rotated = new float[sample.length];
            float[] tmp = new float[dim];
            for (int i = 0; i < s; i++) {
                rotation.apply(sample, i * dim, tmp);
                System.arraycopy(tmp, 0, rotated, i * dim, dim);
            }
            sample = rotated;
        }
        CoarseQuantizer coarse = null;
        if (config.nlist() > 0) {
            coarse = CoarseQuantizer.train(sample, s, dim, config.nlist(), Math.min(config.kmeansIterations(), 10),
                    config.seed() + 1, pool);
            float[] x = new float[dim];
            float[] c = new float[dim];
            for (int i = 0; i < s; i++) {
                System.arraycopy(sample, i * dim, x, 0, dim);
                coarse.centroid(coarse.assign(x), c);
                for (int d = 0; d < dim; d++) {
                    sample[i * dim + d] -= c[d];
                }
            }
        }
        // a bigger sample is for the coarse lists (16 rows a list, 0350); the codebooks' 256 words a subspace are
        // trained on the first PQ_TRAIN_ROWS of it (a random subset), as before
        int pqRows = Math.min(s, PQ_TRAIN_ROWS);
        ProductQuantizer pq = ProductQuantizer.train(pqRows == s ? sample : Arrays.copyOf(sample, pqRows * dim), pqRows,
                dim, config.subspaces(), config.kmeansIterations(), config.seed() + 2, pool);
        PqIndex index = new PqIndex(config, dim, rotation, coarse, pq, n, pool, reranker);
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        progress.accept(TRAINING_SHARE);
        long[] ids = new long[Math.min(n, ENCODE_BATCH)];
        float[] data = new float[ids.length * dim];
        for (int from = 0; from < n; from += ids.length) {
            int len = Math.min(ids.length, n - from);
            for (int i = 0; i < len; i++) {
                ids[i] = matrix.id(from + i);
                matrix.copy(from + i, data, i * dim);
            }
            if (len == ids.length) {
                index.addAllNew(ids, data);
            } else {
                index.addAllNew(Arrays.copyOf(ids, len), Arrays.copyOf(data, len * dim));
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("encoding interrupted");
            }
            progress.accept(TRAINING_SHARE + (1 - TRAINING_SHARE) * (from + len) / n);
        }
        index.trim();
        long cpu2 = processCpuNanos();
        LOG.info("trained {} on {} of {} vectors in {} ms (process CPU {} ms), encoded in {} ms (process CPU {} ms)",
                config, s, n, (t1 - t0) / 1_000_000, (cpu1 - cpu0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000,
                (cpu2 - cpu1) / 1_000_000);
        return index;
    }

    /** CPU time of the whole process (all threads) in ns, or 0 where the JVM does not say. */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** A deterministic sample of {@code s} rows (partial Fisher–Yates shuffle). */
    static float[] sample(VectorRows matrix, int s, long seed) {
        int n = matrix.rows();
        int dim = matrix.dimension();
        if (s == n) {
            float[] all = new float[n * dim];
            for (int i = 0; i < n; i++) {
                matrix.copy(i, all, i * dim);
            }
            return all;
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Random r = new Random(seed);
        float[] out = new float[s * dim];
        for (int i = 0; i < s; i++) {
            int j = i + r.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            matrix.copy(idx[i], out, i * dim);
        }
        return out;
    }
}
