package io.ocular.search;

import io.ocular.model.ScoredId;

/**
 * The coarse level of an inverted file (IVF): {@code nlist} k-means centroids; every vector lives in the list
 * of its nearest centroid and a search visits only the {@code nprobe} lists nearest the query. Immutable.
 */
public final class CoarseQuantizer {
    private final int dimension;
    private final int nlist;
    private final float[] centroids;
    private final float[] norms;

    public CoarseQuantizer(int dimension, float[] centroids) {
        if (centroids.length == 0 || centroids.length % dimension != 0) {
            throw new IllegalArgumentException("centroid array length " + centroids.length + " is not a multiple of "
                    + dimension);
        }
        VectorMath.requireFinite(centroids, "the coarse centroids");
        this.dimension = dimension;
        this.nlist = centroids.length / dimension;
        this.centroids = centroids.clone();
        this.norms = new float[nlist];
        KMeans.norms(this.centroids, nlist, dimension, norms);
    }

    public static CoarseQuantizer train(float[] data, int n, int dim, int nlist, int iterations, long seed,
                                        ScanPool pool) {
        return new CoarseQuantizer(dim, KMeans.train(data, n, dim, nlist, iterations, seed, pool));
    }

    public int nlist() {
        return nlist;
    }

    public float[] centroids() {
        return centroids.clone();
    }

    /** Copies centroid {@code list} into {@code out}. */
    void centroid(int list, float[] out) {
        System.arraycopy(centroids, list * dimension, out, 0, dimension);
    }

    /** The list of {@code x} (nearest centroid). */
    public int assign(float[] x) {
        return KMeans.nearest(x, centroids, norms, nlist, dimension, new float[4]);
    }

    /**
     * The {@code nprobe} lists nearest to {@code q} (Euclidean), written to {@code lists}; {@code ip[i]} receives
     * {@code <q, centroid(lists[i])>}. Returns how many were written.
     */
    public int probe(float[] q, int nprobe, int[] lists, float[] ip) {
        int p = Math.min(nprobe, nlist);
        TopK top = new TopK(p);
        float[] dots = new float[nlist];
        for (int c = 0; c < nlist; c++) {
            dots[c] = VectorMath.dot(q, 0, centroids, c * dimension, dimension);
            top.offer(c, 2 * dots[c] - norms[c]); // -|q - c|^2 up to a constant
        }
        int i = 0;
        for (ScoredId s : top.toList()) {
            lists[i] = (int) s.id();
            ip[i] = dots[lists[i]];
            i++;
        }
        return i;
    }
}
