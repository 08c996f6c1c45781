package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.ToDoubleFunction;

/**
 * Database-side augmentation (DBA, Arandjelović &amp; Zisserman 2012; α-weighted as in Radenović, Tolias &amp;
 * Chum 2018): every database vector x is replaced by {@code x̃ = x + Σ w_j x_j} over its {@code neighbours}
 * nearest database vectors x_j, {@code w_j = max(0, ⟨x, x_j⟩)^alpha}, normalised. Written on scores, like
 * {@link QueryExpansion}: {@code s̃(q, x) = (s(q, x) + Σ w_j s(q, x_j)) / ‖x̃‖}, which equals searching the
 * augmented vectors when s is a dot product, and lets s be any first-pass score (the best over turned query
 * views). The neighbour lists are built once per database ({@link #build}); the re-scoring touches a short
 * list only.
 *
 * <p>Photos join their neighbours' evidence, so a photo whose nearest neighbour is the query (same scene, the
 * query is in the library) gains most; decision record 0115 has what it gives for queries from outside.
 */
public final class DatabaseAugmentation {
    /** One database vector's neighbours, their weights, and the norm of the augmented vector. */
    private record Neighbours(long[] ids, float[] weights, float norm) {
    }

    /**
     * Photos of a short list re-scored at query time ({@link #forShortList}): the head of the first-pass results
     * that "More like this" re-orders (decision record 0115, Amendment 6).
     */
    public static final int SHORT_LIST = 100;
    /** Neighbours joined to each photo in the app (0115: best on holidays-dev). */
    public static final int DEFAULT_NEIGHBOURS = 1;
    /** Weight exponent in the app (0115: best on holidays-dev). */
    public static final float DEFAULT_ALPHA = 3f;

    /** Nearest library photos of a vector, best first (the library's own index). */
    @FunctionalInterface
    public interface NeighbourSearch {
        List<ScoredId> nearest(float[] vector, int k);
    }

    private final Map<Long, Neighbours> lists;
    private final int neighbours;
    private final float alpha;

    private DatabaseAugmentation(Map<Long, Neighbours> lists, int neighbours, float alpha) {
        this.lists = lists;
        this.neighbours = neighbours;
        this.alpha = alpha;
    }

    /**
     * Exact neighbour lists over all database vectors (n² dot products: an eval over a few thousand photos).
     *
     * @param ids     database ids, aligned with {@code vectors}
     * @param vectors unit-length database vectors
     */
    public static DatabaseAugmentation build(long[] ids, float[][] vectors, int neighbours, float alpha) {
        if (neighbours < 1 || !(alpha >= 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("database augmentation needs neighbours >= 1 and a finite alpha >= 0");
        }
        Map<Long, Neighbours> lists = new HashMap<>();
        int n = ids.length;
        Map<Long, Integer> row = new HashMap<>();
        for (int j = 0; j < n; j++) {
            row.put(ids[j], j);
        }
        for (int i = 0; i < n; i++) {
            TopK top = new TopK(neighbours);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    top.offer(ids[j], VectorMath.dot(vectors[i], vectors[j]));
                }
            }
            List<ScoredId> best = top.toList();
            long[] nid = new long[best.size()];
            float[] w = new float[best.size()];
            float[] aug = vectors[i].clone();
            for (int b = 0; b < best.size(); b++) {
                nid[b] = best.get(b).id();
                w[b] = (float) Math.pow(Math.max(0f, best.get(b).score()), alpha);
                float[] x = vectors[row.get(nid[b])];
                for (int d = 0; d < aug.length; d++) {
                    aug[d] += w[b] * x[d];
                }
            }
            lists.put(ids[i], new Neighbours(nid, w, (float) Math.sqrt(VectorMath.dot(aug, aug))));
        }
        return new DatabaseAugmentation(lists, neighbours, alpha);
    }

    /**
     * Neighbour lists of the given photos only, found when a query needs them by searching the library with each
     * photo's stored vector: what the app does for a short list. With an exact search it equals {@link #build}
     * over the whole library restricted to these photos (ties aside).
     *
     * @param ids     the photos to augment (a short list)
     * @param vectors a library photo's stored unit vector, or null when it has none (left as it is)
     * @param search  the library's nearest-neighbour search (the photo itself may be among the results)
     */
    public static DatabaseAugmentation forShortList(Collection<Long> ids, LongFunction<float[]> vectors,
                                                    NeighbourSearch search, int neighbours, float alpha) {
        if (neighbours < 1 || !(alpha >= 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("database augmentation needs neighbours >= 1 and a finite alpha >= 0");
        }
        Map<Long, Neighbours> lists = new HashMap<>();
        for (long id : ids) {
            float[] x = vectors.apply(id);
            if (x == null || lists.containsKey(id)) {
                continue;
            }
            List<Long> nid = new ArrayList<>(neighbours);
            List<Float> w = new ArrayList<>(neighbours);
            float[] aug = x.clone();
            for (ScoredId s : search.nearest(x, neighbours + 1)) {
                if (nid.size() == neighbours) {
                    break;
                }
                float[] y = s.id() == id ? null : vectors.apply(s.id());
                if (y == null) {
                    continue; // itself, or a photo removed since the search
                }
                float wj = (float) Math.pow(Math.max(0f, s.score()), alpha);
                nid.add(s.id());
                w.add(wj);
                for (int d = 0; d < aug.length; d++) {
                    aug[d] += wj * y[d];
                }
            }
            long[] na = new long[nid.size()];
            float[] wa = new float[w.size()];
            for (int b = 0; b < na.length; b++) {
                na[b] = nid.get(b);
                wa[b] = w.get(b);
            }
            lists.put(id, new Neighbours(na, wa, (float) Math.sqrt(VectorMath.dot(aug, aug))));
        }
        return new DatabaseAugmentation(lists, neighbours, alpha);
    }

    /**
     * Re-scores the head of a first-pass list at query time ({@link #forShortList} over its first {@code shortList}
     * photos); the rest follows in first-pass order.
     */
    public static List<ScoredId> rescoreHead(List<ScoredId> ranked, int shortList, LongFunction<float[]> vectors,
                                             NeighbourSearch search, int neighbours, float alpha,
                                             ToDoubleFunction<Long> score) {
        List<ScoredId> head = ranked.subList(0, Math.min(shortList, ranked.size()));
        List<Long> ids = new ArrayList<>(head.size());
        for (ScoredId s : head) {
            ids.add(s.id());
        }
        DatabaseAugmentation dba = forShortList(ids, vectors, search, neighbours, alpha);
        List<ScoredId> out = new ArrayList<>(dba.rescore(head, score));
        out.addAll(ranked.subList(head.size(), ranked.size()));
        return out;
    }

    public int neighbours() {
        return neighbours;
    }

    public float alpha() {
        return alpha;
    }

    /**
     * Re-scores a short list by the augmented database vectors.
     *
     * @param ranked first-pass results, best first
     * @param score  the first-pass score of any database id (used for neighbours outside the list)
     * @return the same ids, scored and sorted by the augmented vectors
     */
    public List<ScoredId> rescore(List<ScoredId> ranked, ToDoubleFunction<Long> score) {
        Map<Long, Float> known = new HashMap<>();
        for (ScoredId s : ranked) {
            known.put(s.id(), s.score());
        }
        List<ScoredId> out = new ArrayList<>(ranked.size());
        for (ScoredId s : ranked) {
            Neighbours nb = lists.get(s.id());
            if (nb == null) {
                out.add(s);
                continue;
            }
            double acc = s.score();
            for (int b = 0; b < nb.ids().length; b++) {
                long id = nb.ids()[b];
                Float f = known.get(id);
                acc += nb.weights()[b] * (f != null ? f : score.applyAsDouble(id));
            }
            out.add(new ScoredId(s.id(), (float) (acc / nb.norm())));
        }
        out.sort(Comparator.comparingDouble((ScoredId s) -> -s.score()).thenComparingLong(ScoredId::id));
        return out;
    }

    /** The first-pass score of a photo for a query given as its views (best over views, turned ones paying). */
    public static ToDoubleFunction<Long> bestViewScore(float[][] views, float turnPenalty,
                                                       LongFunction<float[]> vectors) {
        return id -> {
            float[] x = vectors.apply(id);
            if (x == null) {
                return 0;
            }
            double best = Double.NEGATIVE_INFINITY;
            for (int t = 0; t < views.length; t++) {
                best = Math.max(best, VectorMath.dot(views[t], x) - (t == 0 ? 0 : turnPenalty));
            }
            return best;
        };
    }
}
