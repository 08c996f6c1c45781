package io.ocular.model;

import java.util.Map;
import java.util.Set;

/**
 * How a verified search went (instance verification with local features).
 *
 * @param confident     the best result shares at least {@code neededInliers} verified points with the query;
 *                      false means "no confident match"
 * @param bestInliers   verified points of the best candidate
 * @param neededInliers the confidence threshold
 * @param inliers       verified points per returned image id (0 when unverified or without local features)
 * @param noFeatures    returned ids that could not be checked: the photo (or the example) has no usable local
 *                      features, so it kept its global rank
 */
public record Verification(boolean confident, int bestInliers, int neededInliers, Map<Long, Integer> inliers,
                           Set<Long> noFeatures) {
    public Verification {
        inliers = Map.copyOf(inliers);
        noFeatures = noFeatures == null ? Set.of() : Set.copyOf(noFeatures);
    }

    /** Without the set of photos that could not be checked. */
    public Verification(boolean confident, int bestInliers, int neededInliers, Map<Long, Integer> inliers) {
        this(confident, bestInliers, neededInliers, inliers, Set.of());
    }

    /** What verification says of one result. */
    public enum Check {
        /** Geometrically verified: the same object or scene. */
        VERIFIED,
        /** Checked, too few matching points. */
        NOT_VERIFIED,
        /** Could not be checked (no local features). */
        NO_FEATURES
    }

    /** The check of result {@code id}. */
    public Check check(long id) {
        if (inliers.getOrDefault(id, 0) > 0) {
            return Check.VERIFIED;
        }
        return noFeatures.contains(id) ? Check.NO_FEATURES : Check.NOT_VERIFIED;
    }
}
