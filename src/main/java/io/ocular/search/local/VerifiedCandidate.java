package io.ocular.search.local;

/**
 * One re-ranked candidate.
 *
 * @param globalScore the first-pass similarity
 * @param inliers     geometrically verified correspondences (0 unless {@link Status#VERIFIED} or
 *                    {@link Status#UNVERIFIED})
 * @param score       the re-ranked score: {@code counted inliers + (globalScore + 1) / 2}, so candidates sort by
 *                    inliers first and by global score among equals (including all fallbacks)
 */
public record VerifiedCandidate(long id, float globalScore, int inliers, float score, Status status) {

    public enum Status {
        /** Enough inliers to count as geometrically verified. */
        VERIFIED,
        /** Checked, but too few inliers: ranked by its global score. */
        UNVERIFIED,
        /** No stored local features (indexed before the feature was on, or too small): global score fallback. */
        NO_LOCAL_FEATURES,
        /** Stored features unreadable (corrupt or stale): global score fallback. */
        CORRUPT_LOCAL_FEATURES,
        /** The query itself has no local features: global score fallback. */
        QUERY_HAS_NO_FEATURES
    }

    public boolean fallback() {
        return status != Status.VERIFIED && status != Status.UNVERIFIED;
    }
}
