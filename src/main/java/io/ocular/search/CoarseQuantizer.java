package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The coarse level of an inverted file (IVF): {@code nlist} k-means centroids; every vector lives in the list
 * of its nearest centroid and a search visits only the {@code nprobe} lists nearest the query. Immutable.
 *
 * <p>Many lists ({@link #GROUPED_MIN_LISTS} or more, the app's choice from 1M vectors, 0350) are trained in two
 * levels — about √nlist groups, then each group's share of the lists inside it, so the lists follow the data's
 * density instead of leaving "hub" lists that collect every cluster k-means had no centroid for — and a vector is
 * assigned by looking only inside the {@link #GROUPS_PROBED} groups nearest it ({@link #assign}), about 1/7 of
 * the dot products of the flat scan ({@link #assignReference}) at 4,096 lists. The groups are derived from the
 * centroids alone (k-means over them, fixed seed) on the first assignment, so the file format is unchanged and a
 * loaded index that only answers queries never builds them.
 */
public final class CoarseQuantizer {
    /** From this many lists training is two-level and assignment goes through groups of lists. */
    static final int GROUPED_MIN_LISTS = 1024;
    /** Groups searched for a vector's nearest centroid (of about √nlist). */
    static final int GROUPS_PROBED = 8;
    private static final long GROUP_SEED = 0x0c0a25eL;

    private final int dimension;
    private final int nlist;
    private final float[] centroids;
    private final float[] norms;
    private volatile Groups groups;

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

    /**
     * k-means centroids for {@code nlist} lists from {@code n} training rows: one k-means below {@link
     * #GROUPED_MIN_LISTS} lists, else two levels (see the class comment).
     */
    public static CoarseQuantizer train(float[] data, int n, int dim, int nlist, int iterations, long seed,
                                        ScanPool pool) {
        if (nlist < GROUPED_MIN_LISTS || n < 4L * nlist) {
            return new CoarseQuantizer(dim, KMeans.train(data, n, dim, nlist, iterations, seed, pool));
        }
        return new CoarseQuantizer(dim, trainTwoLevel(data, n, dim, nlist, iterations, seed, pool));
    }

    /** √nlist groups by k-means, then each group's rows get lists in proportion to its share of the rows. */
    static float[] trainTwoLevel(float[] data, int n, int dim, int nlist, int iterations, long seed, ScanPool pool) {
        int k1 = groupCount(nlist);
        float[] top = KMeans.train(data, n, dim, k1, iterations, seed, pool);
        float[] topNorms = new float[k1];
        KMeans.norms(top, k1, dim, topNorms);
        int[] assign = new int[n];
        Arrays.fill(assign, -1);
        KMeans.assignAll(data, n, dim, top, topNorms, k1, assign, pool);
        int[] counts = new int[k1];
        for (int a : assign) {
            counts[a]++;
        }
        int[] lists = shares(counts, n, nlist);
        float[] out = new float[nlist * dim];
        int at = 0;
        for (int g = 0; g < k1; g++) {
            if (lists[g] == 0) {
                continue;
            }
            float[] rows = new float[counts[g] * dim];
            int r = 0;
            for (int i = 0; i < n; i++) {
                if (assign[i] == g) {
                    System.arraycopy(data, i * dim, rows, r++ * dim, dim);
                }
            }
            float[] c = KMeans.train(rows, counts[g], dim, lists[g], iterations, seed + 1 + g, pool);
            System.arraycopy(c, 0, out, at * dim, c.length);
            at += lists[g];
        }
        return out;
    }

    /** About √nlist groups. */
    static int groupCount(int nlist) {
        return Math.max(1, (int) Math.round(Math.sqrt(nlist)));
    }

    /**
     * {@code total} lists split over groups in proportion to {@code counts} (largest remainders), every group
     * with rows getting at least one and none more than it has rows; the shares sum to {@code total} whenever
     * the rows number at least {@code total}.
     */
    static int[] shares(int[] counts, int rows, int total) {
        int[] out = new int[counts.length];
        double[] rest = new double[counts.length];
        int sum = 0;
        for (int g = 0; g < counts.length; g++) {
            double exact = (double) total * counts[g] / rows;
            out[g] = counts[g] == 0 ? 0 : Math.min(counts[g], Math.max(1, (int) exact));
            rest[g] = exact - out[g];
            sum += out[g];
        }
        while (sum != total) {
            int pick = -1;
            for (int g = 0; g < counts.length; g++) {
                boolean can = sum < total ? out[g] < counts[g] : out[g] > 1;
                if (can && (pick < 0 || (sum < total ? rest[g] > rest[pick] : rest[g] < rest[pick]))) {
                    pick = g;
                }
            }
            if (pick < 0) {
                break; // fewer rows than lists: every row is a list
            }
            int step = sum < total ? 1 : -1;
            out[pick] += step;
            rest[pick] -= step;
            sum += step;
        }
        return out;
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

    /**
     * The list of {@code x}: its nearest centroid ({@link #assignReference}) below {@link #GROUPED_MIN_LISTS}
     * lists; above, the nearest among the lists of the {@link #GROUPS_PROBED} groups nearest {@code x} (almost
     * always the same list; where not, one about as near).
     */
    public int assign(float[] x) {
        return nlist < GROUPED_MIN_LISTS ? assignReference(x) : assign(x, GROUPS_PROBED);
    }

    /** The nearest centroid to {@code x}, every centroid compared (the plain version of {@link #assign}). */
    public int assignReference(float[] x) {
        return KMeans.nearest(x, centroids, norms, nlist, dimension, new float[4]);
    }

    /** The nearest centroid among the lists of the {@code probed} groups nearest {@code x}. */
    int assign(float[] x, int probed) {
        Groups g = groups();
        float[] scratch = new float[4];
        int k1 = g.start.length - 1;
        int p = Math.min(probed, k1);
        int[] best = new int[p];
        float[] bestD = new float[p];
        Arrays.fill(bestD, Float.POSITIVE_INFINITY);
        for (int c = 0; c < k1; c++) {
            float d = g.centreNorms[c] - 2 * VectorMath.dot(x, 0, g.centres, c * dimension, dimension);
            if (d < bestD[p - 1]) {
                int i = p - 1;
                while (i > 0 && bestD[i - 1] > d) {
                    bestD[i] = bestD[i - 1];
                    best[i] = best[i - 1];
                    i--;
                }
                bestD[i] = d;
                best[i] = c;
            }
        }
        int bestRow = -1;
        float bestDist = Float.POSITIVE_INFINITY;
        for (int i = 0; i < p; i++) {
            int from = g.start[best[i]];
            int to = g.start[best[i] + 1];
            int r = from;
            for (; r + 4 <= to; r += 4) {
                VectorMath.dot4(x, g.members, r * dimension, dimension, scratch, 0);
                for (int j = 0; j < 4; j++) {
                    float d = g.memberNorms[r + j] - 2 * scratch[j];
                    if (d < bestDist) {
                        bestDist = d;
                        bestRow = r + j;
                    }
                }
            }
            for (; r < to; r++) {
                float d = g.memberNorms[r] - 2 * VectorMath.dot(x, 0, g.members, r * dimension, dimension);
                if (d < bestDist) {
                    bestDist = d;
                    bestRow = r;
                }
            }
        }
        return bestRow < 0 ? assignReference(x) : g.listOf[bestRow]; // only empty groups probed
    }

    /** Squared distance from {@code x} to centroid {@code list} (tests). */
    double distance2(float[] x, int list) {
        double s = 0;
        for (int d = 0; d < dimension; d++) {
            double v = x[d] - centroids[list * dimension + d];
            s += v * v;
        }
        return s;
    }

    private Groups groups() {
        Groups g = groups;
        if (g == null) {
            synchronized (this) {
                g = groups;
                if (g == null) {
                    g = Groups.of(centroids, norms, nlist, dimension);
                    groups = g;
                }
            }
        }
        return g;
    }

    /**
     * Groups of lists for {@link #assign}: k-means over the centroids (fixed seed, so the same for an index
     * built and one loaded); each group's member centroids copied contiguously, {@code listOf} maps them back.
     */
    private record Groups(float[] centres, float[] centreNorms, int[] start, float[] members, float[] memberNorms,
                          int[] listOf) {
        static Groups of(float[] centroids, float[] norms, int nlist, int dim) {
            int k1 = Math.min(nlist, groupCount(nlist));
            float[] centres = KMeans.train(centroids, nlist, dim, k1, 10, GROUP_SEED, null);
            float[] centreNorms = new float[k1];
            KMeans.norms(centres, k1, dim, centreNorms);
            int[] of = new int[nlist];
            Arrays.fill(of, -1);
            KMeans.assignAll(centroids, nlist, dim, centres, centreNorms, k1, of, null);
            List<List<Integer>> byGroup = new ArrayList<>(k1);
            for (int c = 0; c < k1; c++) {
                byGroup.add(new ArrayList<>());
            }
            for (int l = 0; l < nlist; l++) {
                byGroup.get(of[l]).add(l);
            }
            int[] start = new int[k1 + 1];
            float[] members = new float[nlist * dim];
            float[] memberNorms = new float[nlist];
            int[] listOf = new int[nlist];
            int r = 0;
            for (int c = 0; c < k1; c++) {
                start[c] = r;
                for (int l : byGroup.get(c)) {
                    System.arraycopy(centroids, l * dim, members, r * dim, dim);
                    memberNorms[r] = norms[l];
                    listOf[r] = l;
                    r++;
                }
            }
            start[k1] = r;
            return new Groups(centres, centreNorms, start, members, memberNorms, listOf);
        }
    }

    /**
     * The {@code nprobe} lists nearest to {@code q} (Euclidean), written to {@code lists}; {@code ip[i]} receives
     * {@code <q, centroid(lists[i])>}. Returns how many were written. Every centroid is compared, four rows at a
     * time ({@link VectorMath#dot4}); the plain version is {@link #probeReference}.
     */
    public int probe(float[] q, int nprobe, int[] lists, float[] ip) {
        return probe(q, nprobe, lists, ip, null);
    }

    /** Centroids below which {@link #probe(float[], int, int[], float[], ScanPool)} stays on the calling thread. */
    static final int PARALLEL_MIN_LISTS = 1024;

    /**
     * As {@link #probe(float[], int, int[], float[])}, the centroids split over {@code pool} (null: none) from
     * {@link #PARALLEL_MIN_LISTS} lists: at 1M photos the 4,096 dot products of 512 floats are a fifth of a
     * query's CPU time and, on one thread, a quarter of its wall time (0350 Amendment 1).
     */
    public int probe(float[] q, int nprobe, int[] lists, float[] ip, ScanPool pool) {
        int p = Math.min(nprobe, nlist);
        float[] dots = new float[nlist];
        TopK top = ScanPool.topK(pool, nlist, p, PARALLEL_MIN_LISTS, (from, to) -> scores(q, from, to, p, dots));
        return copyOut(top, dots, lists, ip);
    }

    /** The kept lists, best first, into {@code lists}, with their inner products from {@code dots}; how many. */
    private static int copyOut(TopK top, float[] dots, int[] lists, float[] ip) {
        int i = 0;
        for (ScoredId s : top.toList()) {
            lists[i] = (int) s.id();
            ip[i] = dots[lists[i]];
            i++;
        }
        return i;
    }

    /** Centroids {@code [from, to)}: their inner products with {@code q} into {@code dots}, the best p kept. */
    private TopK scores(float[] q, int from, int to, int p, float[] dots) {
        TopK top = new TopK(p);
        int c = from;
        for (; c + 4 <= to; c += 4) {
            VectorMath.dot4(q, centroids, c * dimension, dimension, dots, c);
        }
        for (; c < to; c++) {
            dots[c] = VectorMath.dot(q, 0, centroids, c * dimension, dimension);
        }
        for (c = from; c < to; c++) {
            top.offer(c, 2 * dots[c] - norms[c]); // -|q - c|^2 up to a constant
        }
        return top;
    }

    /** The plain version of {@link #probe}: one dot product at a time, one thread. */
    int probeReference(float[] q, int nprobe, int[] lists, float[] ip) {
        int p = Math.min(nprobe, nlist);
        TopK top = new TopK(p);
        float[] dots = new float[nlist];
        for (int c = 0; c < nlist; c++) {
            dots[c] = VectorMath.dotReference(q, 0, centroids, c * dimension, dimension);
            top.offer(c, 2 * dots[c] - norms[c]);
        }
        return copyOut(top, dots, lists, ip);
    }
}
