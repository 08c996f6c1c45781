package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Near-duplicate groups from a model's vectors: every pair with cosine similarity at or above a threshold
 * (vectors are L2-normalised, so the dot product), joined transitively into groups by union-find.
 *
 * <p>Two steps so a threshold slider stays instant: {@link #pairsAbove} does the O(n²·d) scan once at the
 * lowest threshold the UI offers; {@link #group} then regroups those pairs for any higher threshold in
 * near-linear time. The exact scan is fine for personal libraries up to a few tens of thousands of images;
 * past the live index's size threshold, where the compact codes exist, {@link #pairsAbove(VectorRows, float,
 * Neighbours, int)} asks the index for each photo's nearest neighbours instead (n searches of a few inverted
 * lists, not n²/2 dot products; docs/decisions/0315).
 */
public final class DuplicateFinder {

    /** Two images and their similarity, {@code a < b}. */
    public record Pair(long a, long b, float similarity) {
    }

    /** A group of near-duplicates: ids sorted ascending, and the best similarity inside the group. */
    public record Group(List<Long> ids, float maxSimilarity) {
    }

    /**
     * The nearest stored vectors to a stored vector, with their exact similarities, best first — the live
     * index's compact codes searched with few lists and a short re-rank ({@link AdaptiveIndex#neighbours()}).
     */
    @FunctionalInterface
    public interface Neighbours {
        List<ScoredId> near(float[] vector, int k);
    }

    /** Neighbours asked for per photo at first ({@link #pairsAbove(VectorRows, float, Neighbours, int)}). */
    static final int FIRST_NEIGHBOURS = 16;

    private DuplicateFinder() {
    }

    /**
     * The pairs at or above {@code threshold} found through an index: every row's nearest neighbours, asked for
     * {@value #FIRST_NEIGHBOURS} at a time and four times as many while the last one is still at or above the
     * threshold, up to {@code maxPerPhoto}. A pair is kept when either photo finds the other, so it is missed only
     * when the index misses it from both sides; a photo with more than {@code maxPerPhoto} copies keeps its
     * {@code maxPerPhoto} closest (a burst that large still forms one group through them). Similarities are the
     * index's exact re-rank scores. Most similar first, as the exact scan orders them.
     */
    public static List<Pair> pairsAbove(VectorRows rows, float threshold, Neighbours index, int maxPerPhoto) {
        return pairsAbove(rows, threshold, index, maxPerPhoto, Runtime.getRuntime().availableProcessors());
    }

    /**
     * As {@link #pairsAbove(VectorRows, float, Neighbours, int)} on {@code threads} threads of its own (rows split
     * in equal ranges; the searches take the index's read lock, the rows are read with absolute gets), so the
     * scan's n searches keep every core busy; the result does not depend on the split.
     */
    static List<Pair> pairsAbove(VectorRows rows, float threshold, Neighbours index, int maxPerPhoto, int threads) {
        if (maxPerPhoto < 1) {
            throw new IllegalArgumentException("maxPerPhoto must be >= 1: " + maxPerPhoto);
        }
        int n = rows.rows();
        int t = Math.max(1, Math.min(threads, n / 256));
        if (t == 1) {
            return unique(neighbourPairs(rows, 0, n, threshold, index, maxPerPhoto));
        }
        ExecutorService workers = Executors.newFixedThreadPool(t, r -> {
            Thread th = new Thread(r, "ocular-duplicates");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<List<Pair>>> parts = new ArrayList<>(t);
            for (int i = 0; i < t; i++) {
                int from = (int) ((long) n * i / t);
                int to = (int) ((long) n * (i + 1) / t);
                parts.add(workers.submit(() -> neighbourPairs(rows, from, to, threshold, index, maxPerPhoto)));
            }
            List<Pair> found = new ArrayList<>();
            for (Future<List<Pair>> f : parts) {
                found.addAll(f.get());
            }
            return unique(found);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the duplicate scan was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("the duplicate scan failed", e.getCause());
        } finally {
            workers.shutdownNow();
        }
    }

    /** The pairs rows [from, to) find through {@code index}. */
    private static List<Pair> neighbourPairs(VectorRows rows, int from, int to, float threshold, Neighbours index,
                                             int maxPerPhoto) {
        float[] v = new float[rows.dimension()];
        List<Pair> found = new ArrayList<>();
        for (int i = from; i < to; i++) {
            long self = rows.id(i);
            rows.copy(i, v, 0);
            int k = Math.min(FIRST_NEIGHBOURS, maxPerPhoto) + 1; // + the photo itself
            List<ScoredId> near = index.near(v, k);
            while (near.size() >= k && near.get(near.size() - 1).score() >= threshold && k <= maxPerPhoto) {
                k = Math.min(maxPerPhoto, 4 * (k - 1)) + 1;
                near = index.near(v, k);
            }
            for (ScoredId s : near) {
                if (s.id() != self && s.score() >= threshold) {
                    found.add(self < s.id() ? new Pair(self, s.id(), s.score()) : new Pair(s.id(), self, s.score()));
                }
            }
        }
        return found;
    }

    /** One pair per (a, b) — the higher similarity when both photos found it — most similar first. */
    private static List<Pair> unique(List<Pair> found) {
        Pair[] all = found.toArray(new Pair[0]);
        Arrays.sort(all, Comparator.comparingLong(Pair::a).thenComparingLong(Pair::b)
                .thenComparing(Comparator.comparingDouble(Pair::similarity).reversed()));
        List<Pair> pairs = new ArrayList<>(all.length);
        for (int i = 0; i < all.length; i++) {
            if (i == 0 || all[i].a() != all[i - 1].a() || all[i].b() != all[i - 1].b()) {
                pairs.add(all[i]);
            }
        }
        pairs.sort(Comparator.comparingDouble((Pair p) -> p.similarity()).reversed()
                .thenComparingLong(Pair::a).thenComparingLong(Pair::b));
        return pairs;
    }

    /** All pairs of rows with dot product ≥ {@code threshold}, most similar first. */
    public static List<Pair> pairsAbove(EmbeddingMatrix m, float threshold) {
        int n = m.rows();
        int d = m.dimension();
        float[] data = m.data();
        long[] ids = m.ids();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int oi = i * d;
            for (int j = i + 1; j < n; j++) {
                float s = dot(data, oi, data, j * d, d);
                if (s >= threshold) {
                    long a = ids[i];
                    long b = ids[j];
                    pairs.add(a < b ? new Pair(a, b, s) : new Pair(b, a, s));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble((Pair p) -> p.similarity()).reversed()
                .thenComparingLong(Pair::a).thenComparingLong(Pair::b));
        return pairs;
    }

    /** Floats per block of rows read by {@link #pairsAbove(VectorRows, float)}: 16 MB, two blocks held at once. */
    static final int BLOCK_FLOATS = 4 << 20;

    /**
     * {@link #pairsAbove(EmbeddingMatrix, float)} over rows read a block at a time (e.g. from the memory-mapped
     * vector file), so the whole matrix is never in RAM: two blocks of {@link #BLOCK_FLOATS} floats and the ids
     * (8 B a photo). The same dot products in the same order as the matrix version (its reference), so the same
     * pairs with the same similarities.
     */
    public static List<Pair> pairsAbove(VectorRows rows, float threshold) {
        return pairsAbove(rows, threshold, BLOCK_FLOATS);
    }

    static List<Pair> pairsAbove(VectorRows rows, float threshold, int blockFloats) {
        int n = rows.rows();
        int d = rows.dimension();
        int block = Math.max(1, Math.min(Math.max(1, n), blockFloats / Math.max(1, d)));
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = rows.id(i);
        }
        float[] a = new float[block * d];
        float[] b = new float[block * d];
        List<Pair> pairs = new ArrayList<>();
        for (int i0 = 0; i0 < n; i0 += block) {
            int ni = read(rows, i0, block, a);
            for (int i = 0; i < ni; i++) {
                for (int j = i + 1; j < ni; j++) {
                    offer(pairs, ids[i0 + i], ids[i0 + j], dot(a, i * d, a, j * d, d), threshold);
                }
            }
            for (int j0 = i0 + ni; j0 < n; j0 += block) {
                int nj = read(rows, j0, block, b);
                for (int i = 0; i < ni; i++) {
                    for (int j = 0; j < nj; j++) {
                        offer(pairs, ids[i0 + i], ids[j0 + j], dot(a, i * d, b, j * d, d), threshold);
                    }
                }
            }
        }
        pairs.sort(Comparator.comparingDouble((Pair p) -> p.similarity()).reversed()
                .thenComparingLong(Pair::a).thenComparingLong(Pair::b));
        return pairs;
    }

    private static int read(VectorRows rows, int from, int block, float[] into) {
        int count = Math.min(block, rows.rows() - from);
        for (int r = 0; r < count; r++) {
            rows.copy(from + r, into, r * rows.dimension());
        }
        return count;
    }

    private static void offer(List<Pair> pairs, long a, long b, float s, float threshold) {
        if (s >= threshold) {
            pairs.add(a < b ? new Pair(a, b, s) : new Pair(b, a, s));
        }
    }

    /** Plain scalar dot product of two rows (the reference; there is no faster variant to keep equal). */
    static float dot(float[] x, int xo, float[] y, int yo, int d) {
        float s = 0;
        for (int k = 0; k < d; k++) {
            s += x[xo + k] * y[yo + k];
        }
        return s;
    }

    /**
     * Joins the pairs with similarity ≥ {@code threshold} into groups (connected components). Groups are
     * ordered largest first, then by best similarity, then by smallest id; singletons never appear.
     */
    public static List<Group> group(List<Pair> pairs, float threshold) {
        UnionFind uf = new UnionFind();
        for (Pair p : pairs) {
            if (p.similarity() >= threshold) {
                uf.union(p.a(), p.b());
            }
        }
        Map<Long, List<Long>> members = new HashMap<>();
        for (long id : uf.elements()) {
            members.computeIfAbsent(uf.find(id), r -> new ArrayList<>()).add(id);
        }
        Map<Long, Float> best = new HashMap<>();
        for (Pair p : pairs) {
            if (p.similarity() >= threshold) {
                best.merge(uf.find(p.a()), p.similarity(), Math::max);
            }
        }
        List<Group> groups = new ArrayList<>();
        for (Map.Entry<Long, List<Long>> e : members.entrySet()) {
            List<Long> ids = e.getValue();
            ids.sort(null);
            groups.add(new Group(List.copyOf(ids), best.get(e.getKey())));
        }
        groups.sort(Comparator.comparingInt((Group g) -> g.ids().size()).reversed()
                .thenComparing(Comparator.comparingDouble(Group::maxSimilarity).reversed())
                .thenComparingLong(g -> g.ids().get(0)));
        return groups;
    }

    /** Disjoint sets over long ids with path halving and union by size. */
    static final class UnionFind {
        private final Map<Long, Long> parent = new HashMap<>();
        private final Map<Long, Integer> size = new HashMap<>();

        long find(long x) {
            parent.putIfAbsent(x, x);
            long p = parent.get(x);
            while (p != x) {
                long gp = parent.get(p);
                parent.put(x, gp);
                x = p;
                p = parent.get(x);
            }
            return x;
        }

        void union(long a, long b) {
            long ra = find(a);
            long rb = find(b);
            if (ra == rb) {
                return;
            }
            int sa = size.getOrDefault(ra, 1);
            int sb = size.getOrDefault(rb, 1);
            if (sa < sb) {
                long t = ra;
                ra = rb;
                rb = t;
            }
            parent.put(rb, ra);
            size.put(ra, sa + sb);
        }

        Iterable<Long> elements() {
            return List.copyOf(parent.keySet());
        }
    }
}
