package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.List;

/**
 * Small turned views first, full size only where it matters (decision record 0115, Amendment 6): the example is
 * embedded upright at the encoder's own size and turned by 90°, 180°, 270° at a small size
 * ({@link RotatingSearchService#TURN_SHORT_SIDE}); each view is searched; the small turned view whose best hit
 * scores highest is embedded again at full size and searched again, replacing its small view, when that best hit,
 * after the turn penalty and with {@link #MARGIN} for the small size, beats the upright view's best hit. An
 * upright example (the common case) mostly pays the small views only; a sideways one pays one full view more, and
 * its photos score as with full-size turns (an exact sideways copy ~1.0 instead of ~0.89).
 */
public final class TurnRefinement {
    /**
     * How much lower a small view scores than the same view at full size, roughly (an exact copy ~0.89 at 160 px vs
     * ~1.0): calibrated on holidays-dev so that sideways queries keep the mAP of full-size turns (0115, Amendment 6).
     */
    public static final float MARGIN = 0.10f;

    private TurnRefinement() {
    }

    /**
     * @param perTurn results of the example turned {@code i} quarter turns (index 0 = as it is, full size; 1–3 the
     *                small views), best first, the example's own photo left out
     * @param penalty the score a turned view pays ({@link RotatingSearchService#TURN_PENALTY})
     * @return the turn (1–3) to embed again at full size, or none
     */
    public static List<Integer> turnsToRefine(List<List<ScoredId>> perTurn, float penalty) {
        return turnsToRefine(perTurn, penalty, MARGIN);
    }

    /** {@link #turnsToRefine(List, float)} with another margin (0: the small view must beat the upright one as it is). */
    public static List<Integer> turnsToRefine(List<List<ScoredId>> perTurn, float penalty, float margin) {
        if (perTurn.isEmpty()) {
            throw new IllegalArgumentException("no views were searched");
        }
        float upright = best(perTurn.get(0));
        int turn = 0;
        float top = Float.NEGATIVE_INFINITY;
        for (int t = 1; t < perTurn.size(); t++) {
            float b = best(perTurn.get(t));
            if (b > top) {
                top = b;
                turn = t;
            }
        }
        return turn > 0 && top - penalty + margin > upright ? List.of(turn) : List.of();
    }

    private static float best(List<ScoredId> ranked) {
        float b = Float.NEGATIVE_INFINITY;
        for (ScoredId s : ranked) {
            b = Math.max(b, s.score()); // lists are best first, but an index may return ties out of order
        }
        return b;
    }
}
