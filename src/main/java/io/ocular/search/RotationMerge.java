package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Rotation-robust global search: the query is searched as it is and turned by 90°, 180° and 270°; each photo
 * keeps its best score over the turns, the turned views paying a fixed {@code penalty} (most photos are upright
 * relative to each other, so a turned view must beat the upright one by that margin to count). The winning
 * turn says how the query had to be turned to match the photo.
 */
public final class RotationMerge {

    /**
     * One photo's merged result.
     *
     * @param turns quarter turns clockwise of the query view that matched best (0 = as it is)
     */
    public record Hit(long id, float score, int turns) {
        public ScoredId scored() {
            return new ScoredId(id, score);
        }
    }

    private RotationMerge() {
    }

    /**
     * @param perTurn results of the query turned {@code i} quarter turns (index 0 = as it is), best first
     * @param penalty subtracted from the scores of turned views (≥ 0)
     * @param k       results kept
     */
    public static List<Hit> merge(List<List<ScoredId>> perTurn, float penalty, int k) {
        Map<Long, Hit> best = new HashMap<>();
        for (int t = 0; t < perTurn.size(); t++) {
            float cost = t == 0 ? 0f : penalty;
            for (ScoredId s : perTurn.get(t)) {
                float score = s.score() - cost;
                Hit old = best.get(s.id());
                if (old == null || score > old.score()) {
                    best.put(s.id(), new Hit(s.id(), score, t));
                }
            }
        }
        List<Hit> out = new ArrayList<>(best.values());
        out.sort(Comparator.comparingDouble((Hit h) -> -h.score()).thenComparingLong(Hit::id));
        return out.size() > k ? new ArrayList<>(out.subList(0, k)) : out;
    }
}
