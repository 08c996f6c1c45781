package io.ocular.search.local;

import java.util.List;

import io.ocular.model.ScoredId;

/**
 * When a verified search may say it found the photographed object or scene ("confident match"). A candidate's
 * evidence is {@code ln(1 + inliers) + marginWeight · (global − reference)}, where {@code reference} is the global
 * score of the short list's candidate at rank {@code marginRank} (0-based): verified points count, and so does how
 * far the candidate stands out of the short list in overall similarity. The search is confident when its best
 * candidate's evidence reaches {@code threshold}. With {@code marginWeight} 0 it is the plain inlier rule
 * ({@link #inliers(int)}). Short lists with no candidate at {@code marginRank} (tiny libraries) use inliers only:
 * a margin over the last of a handful of photos says nothing.
 *
 * <p>Calibrated on holidays-dev only (decision record 0070, amendment 3): weight 10, rank 20, threshold 3.6 reject
 * 90.7 % of queries whose group is left out of the library and lose 16 % of queries with true matches; the
 * inlier rule at 20 rejected 94.7 % and lost 34 %, and reached 90 % rejection only at 32 % loss. The weight is in
 * units of the global model's cosine and was fitted with MobileNetV2; a model whose cosines spread less leans on
 * the inliers (36 make a match confident on their own).
 */
public record MatchConfidence(double marginWeight, int marginRank, double threshold) {
    public MatchConfidence {
        if (!(marginWeight >= 0) || !Double.isFinite(marginWeight) || marginRank < 1 || !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("Match confidence needs a margin weight >= 0, a reference rank >= 1"
                    + " and a finite threshold.");
        }
    }

    /**
     * The calibrated rule without the reciprocal term (see the class comment); the app's rule since decision record
     * 0115's Amendment 8 adds that term ({@code LocalVerifier.Config.RECIPROCAL_CONFIDENCE}).
     */
    public static MatchConfidence defaults() {
        return new MatchConfidence(10, 20, 3.6);
    }

    /** The plain rule: confident when the best candidate has at least {@code n} inliers. */
    public static MatchConfidence inliers(int n) {
        return new MatchConfidence(0, 20, Math.log1p(n));
    }

    /** The reference score of a short list (global scores, best first): NaN when it has no such rank. */
    public float reference(List<ScoredId> candidates) {
        return marginWeight == 0 || candidates.size() <= marginRank ? Float.NaN
                : candidates.get(marginRank).score();
    }

    /** A candidate's evidence given its inliers, global score and the short list's reference score. */
    public double evidence(int inliers, float global, float reference) {
        double e = Math.log1p(Math.max(0, inliers));
        return Float.isNaN(reference) ? e : e + marginWeight * (global - reference);
    }

    public boolean confident(double evidence) {
        return evidence >= threshold - 1e-9;
    }

    /** Inliers that make a match confident without any margin. */
    public int inliersAlone() {
        return (int) Math.ceil(Math.expm1(threshold) - 1e-9);
    }
}
