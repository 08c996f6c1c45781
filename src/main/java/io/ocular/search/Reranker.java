package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.List;

/** Second pass over first-pass candidates (exact vectors, local features, feedback ...). */
public interface Reranker {

    /** Re-scores {@code candidates} for {@code query} and returns the best {@code k}, best first. */
    List<ScoredId> rerank(float[] query, List<ScoredId> candidates, int k);

    /**
     * Re-scores the candidates {@code ids[0..count)} (unordered, as {@link PqIndex}'s first pass keeps them); an
     * implementation may split the work over {@code pool}. The result equals {@link #rerank(float[], List, int)}'s.
     */
    default List<ScoredId> rerank(float[] query, long[] ids, int count, int k, ScanPool pool) {
        List<ScoredId> candidates = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            candidates.add(new ScoredId(ids[i], Float.NaN));
        }
        return rerank(query, candidates, k);
    }
}
