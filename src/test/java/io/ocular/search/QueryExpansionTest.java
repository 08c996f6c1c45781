package io.ocular.search;

import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryExpansionTest {
    private static final Map<Long, float[]> V = Map.of(
            1L, new float[]{1, 0, 0},
            2L, new float[]{0.6f, 0.8f, 0},   // close to 1's neighbour 3
            3L, new float[]{0, 1, 0},
            4L, new float[]{0, 0, 1});

    @Test
    void theBestNeighbourPullsItsOwnNeighboursUp() {
        // first pass: 1 (the true match), then 4, then 3 (similar to 1? no), then 2
        List<ScoredId> first = List.of(new ScoredId(1, 0.9f), new ScoredId(4, 0.5f), new ScoredId(2, 0.45f),
                new ScoredId(3, 0.1f));
        List<ScoredId> expanded = new QueryExpansion(1, 0f).expand(first, V::get, null);
        // 2 shares 0.6 with neighbour 1, 4 shares nothing: 2 overtakes 4
        assertThat(expanded).extracting(ScoredId::id).containsExactly(1L, 2L, 4L, 3L);
        assertThat(QueryExpansion.OFF.expand(first, V::get, null)).isSameAs(first);
    }

    @Test
    void onlyTrustedNeighboursExpand() {
        List<ScoredId> first = List.of(new ScoredId(4, 0.9f), new ScoredId(3, 0.5f), new ScoredId(2, 0.45f),
                new ScoredId(1, 0.1f));
        // 4 is untrusted (e.g. not verified): 3 expands, which lifts 2 (0.8) above... and not 1
        List<ScoredId> expanded = new QueryExpansion(1, 0f).expand(first, V::get, Set.of(3L));
        assertThat(expanded.get(0).id()).isEqualTo(3L);
        assertThat(expanded).extracting(ScoredId::id).containsSubsequence(2L, 4L);
        assertThat(new QueryExpansion(1, 0f).expand(first, V::get, Set.of())).isSameAs(first);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new QueryExpansion(-1, 3f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryExpansion(2, Float.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
