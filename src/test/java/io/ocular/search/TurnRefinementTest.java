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
        // upright 0.80; the small 270° view 0.75: within the margin for its small size (0.75 - 0.02 + 0.10 > 0.80)
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
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.80f), best(0.50f), best(0.60f), best(0.75f)), 0.02f, 0f))
                .isEmpty();
        assertThat(TurnRefinement.turnsToRefine(List.of(best(0.80f), best(0.50f), best(0.83f), best(0.75f)), 0.02f, 0f))
                .containsExactly(2);
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
