package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;

/** Scores dense features so that the best {@code N} can be kept as keypoints (higher is better). */
public interface KeypointSelector {

    /** Short name for reports ("norm", "attention"). */
    String name();

    /** One non-negative score per dense feature. */
    float[] scores(DenseLocalFeatures features);

    /** Indices of the {@code max} best-scoring features, best first. */
    default int[] select(DenseLocalFeatures features, int max) {
        return TopK.indicesOfLargest(scores(features), max);
    }
}
