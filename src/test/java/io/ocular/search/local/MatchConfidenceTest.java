package io.ocular.search.local;

import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MatchConfidenceTest {

    private static List<ScoredId> shortList(int n) {
        List<ScoredId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ScoredId(i, 0.9f - 0.01f * i));
        }
        return out;
    }

    @Test
    void evidenceAddsTheGlobalMarginOverTheReferenceRank() {
        MatchConfidence c = new MatchConfidence(10, 20, 3.6);
        float ref = c.reference(shortList(30));
        assertThat(ref).isCloseTo(0.70f, within(1e-6f)); // the 21st candidate
        assertThat(c.evidence(20, 0.80f, ref)).isCloseTo(Math.log(21) + 1.0, within(1e-5));
        assertThat(c.confident(c.evidence(20, 0.80f, ref))).isTrue();     // 3.04 + 1.0
        assertThat(c.confident(c.evidence(20, 0.70f, ref))).isFalse();    // 3.04: inliers alone are not enough
        assertThat(c.confident(c.evidence(0, 0.90f, ref))).isFalse();     // 2.0: the margin alone is not enough
        assertThat(c.inliersAlone()).isEqualTo(36);
    }

    @Test
    void aShortListWithoutTheReferenceRankCountsInliersOnly() {
        MatchConfidence c = new MatchConfidence(10, 20, 3.6);
        float ref = c.reference(shortList(5));
        assertThat(ref).isNaN();
        assertThat(c.confident(c.evidence(35, 0.99f, ref))).isFalse();
        assertThat(c.confident(c.evidence(36, 0.10f, ref))).isTrue();
    }

    @Test
    void theInlierRuleIsTheZeroWeightCase() {
        MatchConfidence c = MatchConfidence.inliers(20);
        float ref = c.reference(shortList(30));
        assertThat(c.confident(c.evidence(19, 0.9f, ref))).isFalse();
        assertThat(c.confident(c.evidence(20, 0.1f, ref))).isTrue();
        assertThat(c.inliersAlone()).isEqualTo(20);
    }

    @Test
    void nonsenseParametersAreRefused() {
        assertThatThrownBy(() -> new MatchConfidence(-1, 20, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MatchConfidence(1, 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MatchConfidence(1, 20, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
