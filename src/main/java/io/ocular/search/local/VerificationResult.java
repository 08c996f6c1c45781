package io.ocular.search.local;

import java.util.List;

/**
 * Candidates re-ranked by geometric verification.
 *
 * @param ranked          best first
 * @param bestInliers     the most inliers any candidate reached
 * @param confidentMatch  whether the best evidence reached the {@link MatchConfidence} threshold
 * @param notice          a message for the user when there is no confident match (or some results could not
 *                        be verified), else null
 * @param evidence        the best checked candidate's {@link MatchConfidence} evidence (-∞ when none was checked)
 * @param reference       the short list's reference global score of that evidence (NaN: inliers only)
 */
public record VerificationResult(List<VerifiedCandidate> ranked, int bestInliers, boolean confidentMatch,
                                 String notice, double evidence, float reference) {
    public VerificationResult {
        ranked = List.copyOf(ranked);
    }
}
