package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * α-weighted query expansion (αQE, Radenović, Tolias &amp; Chum 2018) applied to a result list: the query is
 * joined by its best {@code neighbours} results, each weighted by {@code max(0, s)^alpha} of its score s
 * (α = 0: plain average QE), and every result is scored again by the expanded query. Written on scores, not
 * vectors — {@code s'(x) = (s(q, x) + Σ w_i ⟨x_i, x⟩) / (1 + Σ w_i)} — which equals searching with the
 * un-normalised expanded vector and lets {@code s(q, x)} be any first-pass score (e.g. the best over turned
 * query views). With {@code trusted} neighbours (e.g. geometrically verified ones) only those expand.
 *
 * @param neighbours results that expand the query (0 = off)
 * @param alpha      weight exponent
 */
public record QueryExpansion(int neighbours, float alpha) {
    public static final QueryExpansion OFF = new QueryExpansion(0, 0f);

    public QueryExpansion {
        if (neighbours < 0 || !(alpha >= 0) || !Float.isFinite(alpha)) {
            throw new IllegalArgumentException("query expansion needs neighbours >= 0 and a finite alpha >= 0");
        }
    }

    public boolean enabled() {
        return neighbours > 0;
    }

    /**
     * @param ranked  first-pass results, best first
     * @param vectors the database vector of a result id (unit length)
     * @param trusted if non-null, only these ids may expand the query (in ranked order)
     * @return the same ids, scored and sorted by the expanded query
     */
    public List<ScoredId> expand(List<ScoredId> ranked, LongFunction<float[]> vectors, Set<Long> trusted) {
        if (!enabled() || ranked.isEmpty()) {
            return ranked;
        }
        List<float[]> nv = new ArrayList<>();
        List<Float> nw = new ArrayList<>();
        for (ScoredId s : ranked) {
            if (nv.size() == neighbours) {
                break;
            }
            if (trusted != null && !trusted.contains(s.id())) {
                continue;
            }
            float[] v = vectors.apply(s.id());
            if (v != null) {
                nv.add(v);
                nw.add((float) Math.pow(Math.max(0f, s.score()), alpha));
            }
        }
        if (nv.isEmpty()) {
            return ranked;
        }
        float total = 1f;
        for (float w : nw) {
            total += w;
        }
        List<ScoredId> out = new ArrayList<>(ranked.size());
        for (ScoredId s : ranked) {
            float[] x = vectors.apply(s.id());
            double acc = s.score();
            if (x != null) {
                for (int i = 0; i < nv.size(); i++) {
                    acc += nw.get(i) * VectorMath.dot(nv.get(i), x);
                }
            }
            out.add(new ScoredId(s.id(), (float) (acc / total)));
        }
        out.sort(Comparator.comparingDouble((ScoredId s) -> -s.score()).thenComparingLong(ScoredId::id));
        return out;
    }
}
