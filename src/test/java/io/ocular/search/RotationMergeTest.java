package io.ocular.search;

import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RotationMergeTest {

    @Test
    void eachPhotoKeepsItsBestTurnAndTurnedViewsPayThePenalty() {
        List<List<ScoredId>> perTurn = List.of(
                List.of(new ScoredId(1, 0.80f), new ScoredId(2, 0.50f), new ScoredId(3, 0.40f)),
                List.of(new ScoredId(2, 0.90f), new ScoredId(1, 0.30f)),
                List.of(new ScoredId(3, 0.41f)),
                List.of());
        List<RotationMerge.Hit> hits = RotationMerge.merge(perTurn, 0.05f, 10);
        assertThat(hits).extracting(RotationMerge.Hit::id).containsExactly(2L, 1L, 3L);
        assertThat(hits.get(0).turns()).isEqualTo(1);
        assertThat(hits.get(0).score()).isEqualTo(0.85f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(hits.get(1).turns()).isZero();
        // 0.41 turned pays 0.05 and loses against 0.40 upright
        assertThat(hits.get(2).turns()).isZero();
        assertThat(RotationMerge.merge(perTurn, 0.05f, 1)).hasSize(1);
    }
}
