package io.ocular.search.local;

import java.util.List;

/**
 * Candidates re-ranked by geometric verification.
 *
 * @param ranked          best first
 * @param bestInliers     the most inliers any candidate reached
 * @param confidentMatch  whether {@code bestInliers} reached the confidence threshold
 * @param notice          a message for the user when there is no confident match (or some results could not
 *                        be verified), else null
 */
public record VerificationResult(List<VerifiedCandidate> ranked, int bestInliers, boolean confidentMatch,
                                 String notice) {
    public VerificationResult {
        ranked = List.copyOf(ranked);
    }
}
