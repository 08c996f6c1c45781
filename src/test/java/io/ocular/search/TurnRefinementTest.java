package io.ocular.search;

import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TurnRefinementTest {

    private static List<ScoredId> best(float score) {
        return List.of(new ScoredId(7, score), new ScoredId(8, score - 0.1f));
    }

    @Test
    void theSmallTurnedViewThatComesCloseToTheUprightOneIsEmbeddedAgain() {
        // upright 0.80; the small 270° view 0.75: within the margin for its small size (0.75 - 0.02 + 0.08 > 0.80; equal gaps)
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.80f), best(0.50f), best(0.60f), best(0.75f)), 0.02f))
                .containsExactly(3);
        // the best turned view only, even when two come close
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.80f), best(0.76f), best(0.60f), best(0.75f)), 0.02f))
                .containsExactly(1);
    }

    @Test
    void anUprightExampleWhoseTurnedViewsAreFarBelowPaysNothingMore() {
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.90f), best(0.70f), best(0.75f), best(0.77f)), 0.02f))
                .isEmpty();
        // without the margin the small view must beat the upright one as it is
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.80f), best(0.50f), best(0.60f), best(0.75f)), 0.02f, 0f, 0f))
                .isEmpty();
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.80f), best(0.50f), best(0.83f), best(0.75f)), 0.02f, 0f, 0f))
                .containsExactly(2);
    }

    @Test
    void aTurnedViewThatFindsOnePhotoClearlyCountsMoreThanOneThatScoresManyAlike() {
        List<ScoredId> flatUpright = List.of(new ScoredId(1, 0.80f), new ScoredId(2, 0.80f), new ScoredId(3, 0.79f));
        List<ScoredId> clearTurn = List.of(new ScoredId(4, 0.73f), new ScoredId(5, 0.53f));
        // best scores alone: 0.73 - 0.02 + 0.08 = 0.79 < 0.80, no refinement
        assertThat(TurnRefinement.turnsToRefine(List.of(flatUpright, best(0.5f), best(0.5f), clearTurn), 0.02f,
                0.08f, 0f)).isEmpty();
        // with the gap: 0.73 + 0.25 * 0.20 - 0.02 + 0.08 = 0.84 > 0.80 + 0.25 * 0 — the turn is embedded again
        assertThat(TurnRefinement.turnsToRefine(List.of(flatUpright, best(0.5f), best(0.5f), clearTurn), 0.02f))
                .containsExactly(3);
        assertThat(TurnRefinement.evidence(List.of(new ScoredId(1, 0.6f)), 0.25f)).isEqualTo(0.6f);
        assertThatThrownBy(() -> TurnRefinement.turnsToRefine(List.of(flatUpright), 0.02f, 0.08f, -1f))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void emptyListsAreHandled() {
        // nothing upright (e.g. the scope holds only what the turned views reach): the best turn is refined
        assertThat(TurnRefinement.turnsToRefine(List.of(List.of(), best(0.3f), List.of(), List.of()), 0.02f))
                .containsExactly(1);
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.3f), List.of(), List.of(), List.of()), 0.02f)).isEmpty();
        assertThatThrownBy(() -> TurnRefinement.turnsToRefine(List.of(), 0.02f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
