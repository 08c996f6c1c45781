package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.List;

/**
 * Small turned views first, full size only where it matters (decision record 0115, Amendments 6 and 7): the example
 * is embedded upright at the encoder's own size and turned by 90°, 180°, 270° at a small size
 * ({@link RotatingSearchService#TURN_SHORT_SIDE}); each view is searched; the small turned view whose best hit
 * scores highest is embedded again at full size and searched again, replacing its small view, when its evidence,
 * after the turn penalty and with {@link #MARGIN} for the small size, beats the upright view's. A view's evidence is
 * its best score plus {@link #GAP_WEIGHT} × the gap between its best and second-best scores (a view that found one
 * photo clearly is more telling than one that scores many photos alike). An upright example (the common case)
 * mostly pays the small views only; a sideways one pays one full view more, and its photos score as with full-size
 * turns (an exact sideways copy ~1.0 instead of ~0.89).
 */
public final class TurnRefinement {
    /**
     * How much lower a small view scores than the same view at full size, roughly (an exact copy ~0.89 at 160 px vs
     * ~1.0): calibrated on holidays-dev so that sideways queries keep the mAP of full-size turns (0115, Amendment 7:
     * 0.08 with the gap term; 0.10 without it refined 19 % of upright examples, 0.08 with it 7 %).
     */
    public static final float MARGIN = 0.08f;
    /** Weight of a view's best-to-second gap in its evidence (0115, Amendment 7; 0 = the best score alone). */
    public static final float GAP_WEIGHT = 0.25f;

    private TurnRefinement() {
    }

    /**
     * @param perTurn results of the example turned {@code i} quarter turns (index 0 = as it is, full size; 1–3 the
     *                small views), best first, the example's own photo left out
     * @param penalty the score a turned view pays ({@link RotatingSearchService#TURN_PENALTY})
     * @return the turn (1–3) to embed again at full size, or none
     */
    public static List<Integer> turnsToRefine(List<List<ScoredId>> perTurn, float penalty) {
        return turnsToRefine(perTurn, penalty, MARGIN, GAP_WEIGHT);
    }

    /**
     * {@link #turnsToRefine(List, float)} with another margin (0: the small view must beat the upright one as it is)
     * and gap weight (0: best scores alone, the rule of Amendment 6).
     */
    public static List<Integer> turnsToRefine(List<List<ScoredId>> perTurn, float penalty, float margin,
                                              float gapWeight) {
        if (perTurn.isEmpty()) {
            throw new IllegalArgumentException("no views were searched");
        }
        if (!(gapWeight >= 0) || !Float.isFinite(gapWeight)) {
            throw new IllegalArgumentException("the gap weight must be a finite number >= 0 (got " + gapWeight + ")");
        }
        float upright = evidence(perTurn.get(0), gapWeight);
        int turn = 0;
        float top = Float.NEGATIVE_INFINITY;
        for (int t = 1; t < perTurn.size(); t++) {
            float b = topTwo(perTurn.get(t))[0];
            if (b > top) {
                top = b;
                turn = t;
            }
        }
        return turn > 0 && evidence(perTurn.get(turn), gapWeight) - penalty + margin > upright
                ? List.of(turn) : List.of();
    }

    /** Best score + weight × (best − second best); a list of one has no gap; an empty one has no evidence. */
    static float evidence(List<ScoredId> ranked, float gapWeight) {
        float[] two = topTwo(ranked);
        if (two[0] == Float.NEGATIVE_INFINITY) {
            return two[0];
        }
        float gap = two[1] == Float.NEGATIVE_INFINITY ? 0f : two[0] - two[1];
        return two[0] + gapWeight * gap;
    }

    private static float[] topTwo(List<ScoredId> ranked) {
        float b = Float.NEGATIVE_INFINITY;
        float c = Float.NEGATIVE_INFINITY;
        for (ScoredId s : ranked) { // lists are best first, but an index may return ties out of order
            float v = s.score();
            if (v > b) {
                c = b;
                b = v;
            } else if (v > c) {
                c = v;
            }
        }
        return new float[] {b, c};
    }
}
