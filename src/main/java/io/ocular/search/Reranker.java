package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.List;

/** Second pass over first-pass candidates (exact vectors, local features, feedback ...). */
public interface Reranker {

    /** Re-scores {@code candidates} for {@code query} and returns the best {@code k}, best first. */
    List<ScoredId> rerank(float[] query, List<ScoredId> candidates, int k);
}
