package io.ocular.search;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Product quantiser (Jégou et al. 2011): the vector is cut into {@code m} contiguous subspaces (sizes differ by
 * at most one when {@code m} does not divide the dimension), each quantised to one of 256 centroids, so a code
 * is {@code m} bytes (16/32/64 bits = m 2/4/8; 64 bytes = m 64).
 *
 * <p>Codebooks are one plain float array: subspace {@code j}'s 256 centroids of {@code dsub(j)} floats each
 * start at {@code 256 * start(j)}. Immutable and thread-safe.
 */
public final class ProductQuantizer implements CodeEncoder {
    public static final int KSUB = 256;

    private final int dimension;
    private final int m;
    private final int[] start; // m + 1 subspace boundaries
    private final float[] codebooks;
    private final float[] norms; // |centroid|^2, KSUB per subspace
    /** The codebooks transposed per subspace (dsub rows of 256), for {@link #innerProductTable}. */
    private final float[] columns;

    private ProductQuantizer(int dimension, int m, float[] codebooks) {
        if (m < 1 || m > dimension) {
            throw new IllegalArgumentException("need 1 <= subspaces <= dimension, got " + m + " for " + dimension);
        }
        if (codebooks.length != KSUB * dimension) {
            throw new IllegalArgumentException("codebooks must hold 256 x " + dimension + " floats, got "
                    + codebooks.length);
        }
        VectorMath.requireFinite(codebooks, "the codebooks");
        this.dimension = dimension;
        this.m = m;
        this.start = boundaries(dimension, m);
        this.codebooks = codebooks.clone();
        this.norms = new float[KSUB * m];
        this.columns = new float[KSUB * dimension];
        for (int j = 0; j < m; j++) {
            int ds = start[j + 1] - start[j];
            int cb = KSUB * start[j];
            for (int c = 0; c < KSUB; c++) {
                norms[j * KSUB + c] = VectorMath.dot(this.codebooks, cb + c * ds, this.codebooks, cb + c * ds, ds);
                for (int d = 0; d < ds; d++) {
                    columns[cb + d * KSUB + c] = this.codebooks[cb + c * ds + d];
                }
            }
        }
    }

    static int[] boundaries(int dimension, int m) {
        int[] s = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            s[j] = (int) ((long) j * dimension / m);
        }
        return s;
    }

    /** Wraps externally trained codebooks (layout as described on the class). */
    public static ProductQuantizer fromCodebooks(int dimension, int m, float[] codebooks) {
        return new ProductQuantizer(dimension, m, codebooks);
    }

    /**
     * Trains the 256 centroids of each subspace with k-means (k-means++ seeding, fixed seed), subspaces in
     * parallel on the pool.
     */
    public static ProductQuantizer train(float[] data, int n, int dimension, int m, int iterations, long seed,
                                         ScanPool pool) {
        int[] s = boundaries(dimension, m);
        float[] codebooks = new float[KSUB * dimension];
        List<Callable<Void>> tasks = new ArrayList<>(m);
        for (int j = 0; j < m; j++) {
            int jj = j;
            tasks.add(() -> {
                int ds = s[jj + 1] - s[jj];
                float[] sub = new float[n * ds];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(data, i * dimension + s[jj], sub, i * ds, ds);
                }
                float[] c = KMeans.train(sub, n, ds, KSUB, iterations, seed * 31 + jj, null);
                System.arraycopy(c, 0, codebooks, KSUB * s[jj], KSUB * ds);
                return null;
            });
        }
        if (pool == null) {
            for (Callable<Void> t : tasks) {
                try {
                    t.call();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        } else {
            runBatched(pool, tasks);
        }
        return new ProductQuantizer(dimension, m, codebooks);
    }

    /** Runs many small tasks on the pool, one batch per thread. */
    static void runBatched(ScanPool pool, List<Callable<Void>> tasks) {
        int p = pool.parallelism();
        List<Callable<Void>> batches = new ArrayList<>(p);
        for (int t = 0; t < p; t++) {
            int tt = t;
            batches.add(() -> {
                for (int i = tt; i < tasks.size(); i += p) {
                    tasks.get(i).call();
                }
                return null;
            });
        }
        pool.invokeAll(batches);
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int codeBytes() {
        return m;
    }

    /** A copy of the codebooks (layout as described on the class). */
    public float[] codebooks() {
        return codebooks.clone();
    }

    @Override
    public void encode(float[] v, int vOff, byte[] out, int outOff) {
        for (int j = 0; j < m; j++) {
            int s0 = start[j];
            int ds = start[j + 1] - s0;
            int cb = KSUB * s0;
            int nb = j * KSUB;
            int best = 0;
            float bestD = Float.POSITIVE_INFINITY;
            for (int c = 0; c < KSUB; c++) {
                float d = norms[nb + c] - 2 * VectorMath.dot(v, vOff + s0, codebooks, cb + c * ds, ds);
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            out[outOff + j] = (byte) best;
        }
    }

    /** Reconstructs the vector a code stands for. */
    public void decode(byte[] code, int off, float[] out) {
        for (int j = 0; j < m; j++) {
            int ds = start[j + 1] - start[j];
            System.arraycopy(codebooks, KSUB * start[j] + (code[off + j] & 0xFF) * ds, out, start[j], ds);
        }
    }

    /**
     * The table of {@code <query_j, centroid>} for every subspace j and centroid: per subspace, the 256 dot
     * products are built one query element at a time over the transposed codebook ({@code lut += q_d · column_d}),
     * a loop without a reduction that the JIT turns into SIMD (the dot-product form, 256 short dots of dsub floats,
     * cannot be vectorised). Each entry is summed in the order d = 0, 1, ..., exactly as
     * {@link #innerProductTableReference} does.
     */
    @Override
    public void innerProductTable(float[] query, float[] lut) {
        for (int j = 0; j < m; j++) {
            int s0 = start[j];
            int ds = start[j + 1] - s0;
            int col = KSUB * s0;
            int base = j * KSUB;
            float q0 = query[s0];
            for (int c = 0; c < KSUB; c++) {
                lut[base + c] = q0 * columns[col + c];
            }
            for (int d = 1; d < ds; d++) {
                float qd = query[s0 + d];
                int row = col + d * KSUB;
                for (int c = 0; c < KSUB; c++) {
                    lut[base + c] += qd * columns[row + c];
                }
            }
        }
    }

    /** Scalar reference for {@link #innerProductTable}: one plain dot product per entry. */
    void innerProductTableReference(float[] query, float[] lut) {
        for (int j = 0; j < m; j++) {
            int s0 = start[j];
            int ds = start[j + 1] - s0;
            int cb = KSUB * s0;
            for (int c = 0; c < KSUB; c++) {
                lut[j * KSUB + c] = VectorMath.dotReference(query, s0, codebooks, cb + c * ds, ds);
            }
        }
    }
}
