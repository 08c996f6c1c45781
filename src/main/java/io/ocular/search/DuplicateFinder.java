package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Near-duplicate groups from a model's vectors: every pair with cosine similarity at or above a threshold
 * (vectors are L2-normalised, so the dot product), joined transitively into groups by union-find.
 *
 * <p>Two steps so a threshold slider stays instant: {@link #pairsAbove} does the O(n²·d) scan once at the
 * lowest threshold the UI offers; {@link #group} then regroups those pairs for any higher threshold in
 * near-linear time. The exact scan is fine for personal libraries up to a few tens of thousands of images.
 */
public final class DuplicateFinder {

    /** Two images and their similarity, {@code a < b}. */
    public record Pair(long a, long b, float similarity) {
    }

    /** A group of near-duplicates: ids sorted ascending, and the best similarity inside the group. */
    public record Group(List<Long> ids, float maxSimilarity) {
    }

    private DuplicateFinder() {
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
