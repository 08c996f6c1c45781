package io.ocular.search.train;

import io.ocular.model.ScoredId;
import io.ocular.search.SpqIndex;
import io.ocular.search.SpqModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpqIndexTest {
    static final int[] LABELS = new int[400];
    static TrainingSet data;
    static SpqModel model;

    @BeforeAll
    static void train() {
        data = TrainingSet.withoutCycles(SpqTrainerTest.clustered(4, 100, 32, 2, 33, LABELS));
        model = new SpqTrainer().train(data, SpqTrainerTest.small(4), null, (e, n, l) -> { }, null, () -> false);
    }

    @Test
    void adcScoresAreTheSumOfTableEntriesForTheStoredCodes() {
        SpqIndex index = new SpqIndex(model, 0);
        for (int i = 0; i < data.size(); i++) {
            index.add(i, data.view(i, 0));
        }
        assertThat(index.size()).isEqualTo(400);
        assertThat(index.bytesPerImage()).isEqualTo(4);
        float[] q = data.view(7, 1);
        List<ScoredId> hits = index.search(q, 10);
        float[] table = model.adcTable(q);
        for (ScoredId h : hits) {
            assertThat(h.score()).isCloseTo(model.score(table, model.encode(data.view((int) h.id(), 0)), 0),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(hits).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
        long sameCluster = hits.stream().filter(h -> LABELS[(int) h.id()] == LABELS[7]).count();
        assertThat(sameCluster).isGreaterThanOrEqualTo(6);
    }

    @Test
    void removeAndReplaceAreIncrementalAndRerankUsesExactCosine() {
        SpqIndex index = new SpqIndex(model, 5);
        for (int i = 0; i < 50; i++) {
            index.add(i, data.view(i, 0));
        }
        assertThat(index.remove(3)).isTrue();
        assertThat(index.remove(3)).isFalse();
        assertThat(index.size()).isEqualTo(49);
        assertThat(index.search(data.view(3, 0), 49)).extracting(ScoredId::id).doesNotContain(3L);
        index.add(10, data.view(11, 0)); // replace: id 10 now holds photo 11's vector
        List<ScoredId> top = index.search(data.view(11, 0), 2);
        assertThat(top).extracting(ScoredId::id).contains(10L);
        assertThat(top.get(0).score()).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void nonFiniteOrWrongSizedVectorsAreRejected() {
        SpqIndex index = new SpqIndex(model, 0);
        float[] bad = data.view(0, 0).clone();
        bad[2] = Float.NaN;
        assertThatThrownBy(() -> index.add(1, bad)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-finite");
        assertThatThrownBy(() -> index.search(new float[5], 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
        assertThat(index.search(data.view(0, 0), 3)).isEmpty();
    }
}
