package io.ocular.model;

import java.util.Map;

/**
 * How a verified search went (instance verification with local features).
 *
 * @param confident     the best result shares at least {@code neededInliers} verified points with the query;
 *                      false means "no confident match"
 * @param bestInliers   verified points of the best candidate
 * @param neededInliers the confidence threshold
 * @param inliers       verified points per returned image id (0 when unverified or without local features)
 */
public record Verification(boolean confident, int bestInliers, int neededInliers, Map<Long, Integer> inliers) {
    public Verification {
        inliers = Map.copyOf(inliers);
    }
}
