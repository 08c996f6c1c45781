package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.List;

/**
 * Second pass for compact codes: re-scores candidates with their full-precision vectors (in memory or
 * memory-mapped) and keeps the best {@code k}. Candidates whose vector is gone are dropped.
 */
public final class ExactReranker implements Reranker {
    private final VectorSource vectors;

    public ExactReranker(VectorSource vectors) {
        this.vectors = vectors;
    }

    @Override
    public List<ScoredId> rerank(float[] query, List<ScoredId> candidates, int k) {
        VectorMath.requireVector(query, vectors.dimension(), "the query vector");
        TopK top = new TopK(k);
        for (ScoredId c : candidates) {
            top.offer(c.id(), vectors.dot(c.id(), query)); // NaN (missing) is never kept
        }
        return top.toList();
    }
}
