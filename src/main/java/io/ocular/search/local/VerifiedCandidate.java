package io.ocular.search.local;

/**
 * One re-ranked candidate.
 *
 * @param globalScore the first-pass similarity
 * @param inliers     geometrically verified correspondences (0 unless {@link Status#VERIFIED} or
 *                    {@link Status#UNVERIFIED})
 * @param score       the re-ranked score: {@code 1 + evidence} when promoted ({@link MatchConfidence}: inliers fused
 *                    with the global margin), else {@code (globalScore + 1) / 2} (at most 1), so promoted
 *                    candidates sort first by evidence and the rest keep the global order
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
