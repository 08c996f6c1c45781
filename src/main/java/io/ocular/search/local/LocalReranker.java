package io.ocular.search.local;

import io.ocular.model.ScoredId;
import io.ocular.search.Reranker;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link Reranker} adapter over {@link LocalVerifier} for one query image. The scores it returns are
 * {@link VerifiedCandidate#score()}: verified inliers plus the first-pass similarity mapped to [0, 1].
 * Use {@link #lastResult()} (or {@link LocalVerifier#verify} directly) for the statuses and the no-match notice.
 */
public final class LocalReranker implements Reranker {
    private final LocalVerifier verifier;
    private final LocalFeatures query;
    private volatile VerificationResult last;

    public LocalReranker(LocalVerifier verifier, LocalFeatures query) {
        this.verifier = verifier;
        this.query = query;
    }

    @Override
    public List<ScoredId> rerank(float[] ignoredGlobalQuery, List<ScoredId> candidates, int k) {
        VerificationResult r = verifier.verify(query, candidates);
        last = r;
        List<ScoredId> out = new ArrayList<>(Math.min(k, r.ranked().size()));
        for (VerifiedCandidate v : r.ranked()) {
            if (out.size() >= k) {
                break;
            }
            out.add(new ScoredId(v.id(), v.score()));
        }
        return out;
    }

    /** The full result of the last {@link #rerank} call, or null. */
    public VerificationResult lastResult() {
        return last;
    }
}
