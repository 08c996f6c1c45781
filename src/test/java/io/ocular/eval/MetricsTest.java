package io.ocular.eval;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    private static final List<Long> RANKED = List.of(1L, 2L, 3L, 4L, 5L);
    private static final Set<Long> RELEVANT = Set.of(1L, 3L, 5L);

    @Test
    void averagePrecisionAveragesPrecisionAtEachRelevantRank() {
        // hits at ranks 1, 3, 5: (1/1 + 2/3 + 3/5) / 3
        assertThat(Metrics.averagePrecision(RANKED, RELEVANT)).isCloseTo((1 + 2.0 / 3 + 0.6) / 3, within(1e-12));
    }

    @Test
    void relevantItemsNeverReturnedCountAsMisses() {
        // same hits, but 4 relevant in all (one was never retrievable)
        assertThat(Metrics.averagePrecision(RANKED, RELEVANT, 4)).isCloseTo((1 + 2.0 / 3 + 0.6) / 4, within(1e-12));
        assertThat(Metrics.averagePrecision(List.of(9L, 8L), Set.of(1L))).isZero();
        assertThat(Metrics.averagePrecision(RANKED, Set.of())).isZero();
        assertThatThrownBy(() -> Metrics.averagePrecision(RANKED, RELEVANT, 2))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void perfectRankingScoresOne() {
        assertThat(Metrics.averagePrecision(List.of(3L, 1L, 5L, 2L), RELEVANT)).isEqualTo(1.0);
        assertThat(Metrics.averagePrecisionAt(List.of(3L, 1L, 5L, 2L), RELEVANT, 2)).isEqualTo(1.0);
    }

    @Test
    void averagePrecisionAtKIsNormalisedByRelevantRetrievedInTopK() {
        // top 3 = 1,2,3: hits at 1 and 3 -> (1 + 2/3) / 2, not / 3
        assertThat(Metrics.averagePrecisionAt(RANKED, RELEVANT, 3)).isCloseTo((1 + 2.0 / 3) / 2, within(1e-12));
        assertThat(Metrics.averagePrecisionAt(RANKED, Set.of(4L), 3)).isZero();
        // k beyond the list is the whole list
        assertThat(Metrics.averagePrecisionAt(RANKED, RELEVANT, 100)).isCloseTo((1 + 2.0 / 3 + 0.6) / 3, within(1e-12));
    }

    @Test
    void precisionAtKCountsShortListsAsMisses() {
        assertThat(Metrics.precisionAt(RANKED, RELEVANT, 2)).isEqualTo(0.5);
        assertThat(Metrics.precisionAt(RANKED, RELEVANT, 5)).isEqualTo(0.6);
        assertThat(Metrics.precisionAt(RANKED, RELEVANT, 10)).isEqualTo(0.3);
        assertThatThrownBy(() -> Metrics.precisionAt(RANKED, RELEVANT, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nisterSteweniusCountsSameGroupInTopFourQueryIncluded() {
        // query 10 found itself, then 11, a stranger, then 13; 12 is fifth and does not count
        assertThat(Metrics.nisterStewenius(List.of(10L, 11L, 99L, 13L, 12L), Set.of(10L, 11L, 12L, 13L))).isEqualTo(3);
        assertThat(Metrics.nisterStewenius(List.of(10L, 11L, 12L, 13L), Set.of(10L, 11L, 12L, 13L))).isEqualTo(4);
        assertThat(Metrics.nisterStewenius(List.of(10L), Set.of(10L, 11L))).isEqualTo(1);
    }

    @Test
    void meanOfNothingIsNotANumber() {
        assertThat(Metrics.mean(List.of(1, 2, 4))).isCloseTo(7.0 / 3, within(1e-12));
        assertThat(Metrics.mean(List.of())).isNaN();
    }
}
