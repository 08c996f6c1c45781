package io.ocular.search.train;

import io.ocular.model.ScoredId;
import io.ocular.search.ExactIndex;
import io.ocular.search.ExactReranker;
import io.ocular.search.IndexFactory;
import io.ocular.search.PqIndex;
import io.ocular.search.ScanPool;
import io.ocular.search.SpqModel;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** SPQ codes in the one compact-code index: the SPQ model is the PQ index's code encoder. */
class SpqCodesTest {
    static final int[] LABELS = new int[400];
    static TrainingSet data;
    static SpqModel model;
    static ScanPool pool;
    static IndexFactory factory;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() {
        data = TrainingSet.withoutCycles(SpqTrainerTest.clustered(4, 100, 32, 2, 33, LABELS));
        model = new SpqTrainer().train(data, SpqTrainerTest.small(4), null, (e, n, l) -> { }, null, () -> false);
        pool = new ScanPool(1);
        factory = new IndexFactory(pool);
    }

    @AfterAll
    static void close() {
        pool.close();
    }

    static EmbeddingMatrix firstViews(int n) {
        int d = model.inputDim();
        long[] ids = new long[n];
        float[] rows = new float[n * d];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            System.arraycopy(data.view(i, 0), 0, rows, i * d, d);
        }
        return new EmbeddingMatrix("spq", d, ids, rows);
    }

    @Test
    void adcScoresAreTheSumOfTheModelsTableEntriesForTheStoredCodes() {
        PqIndex index = factory.spq(model, firstViews(400), null);
        assertThat(index.size()).isEqualTo(400);
        assertThat(index.codeBytes()).isEqualTo(4);
        float[] q = data.view(7, 1);
        List<ScoredId> hits = index.search(q, 10);
        float[] table = model.adcTable(q);
        for (ScoredId h : hits) {
            assertThat(h.score()).isCloseTo(model.score(table, model.encode(data.view((int) h.id(), 0)), 0),
                    offset(1e-5f));
        }
        assertThat(hits).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
        long sameCluster = hits.stream().filter(h -> LABELS[(int) h.id()] == LABELS[7]).count();
        assertThat(sameCluster).isGreaterThanOrEqualTo(6);
        assertThat(index.searchReference(q, 10)).extracting(ScoredId::id)
                .containsExactlyElementsOf(hits.stream().map(ScoredId::id).toList());
    }

    @Test
    void removeAndReplaceAreIncrementalAndRerankUsesExactCosine() {
        EmbeddingMatrix db = firstViews(50);
        ExactIndex exact = factory.exact(db);
        PqIndex index = factory.spq(model, db, new ExactReranker(exact));
        assertThat(index.remove(3)).isTrue();
        assertThat(index.remove(3)).isFalse();
        assertThat(index.size()).isEqualTo(49);
        assertThat(index.search(data.view(3, 0), 49)).extracting(ScoredId::id).doesNotContain(3L);
        index.add(10, data.view(11, 0)); // replace: id 10 now holds photo 11's vector
        exact.add(10, data.view(11, 0));
        List<ScoredId> top = index.search(data.view(11, 0), 2);
        assertThat(top).extracting(ScoredId::id).contains(10L);
        assertThat(top.get(0).score()).isCloseTo(1f, offset(1e-4f));
    }

    @Test
    void spqCodesSurviveSaveAndLoadBitForBit() throws Exception {
        PqIndex index = factory.spq(model, firstViews(400), null);
        index.save(dir);
        PqIndex loaded = PqIndex.load(dir, pool, null);
        assertThat(loaded.encoder()).isInstanceOf(SpqModel.class);
        float[] q = data.view(5, 1);
        assertThat(loaded.search(q, 20)).isEqualTo(index.search(q, 20));
    }

    @Test
    void nonFiniteOrWrongSizedVectorsAreRejected() {
        PqIndex index = factory.spq(model, firstViews(0), null);
        float[] bad = data.view(0, 0).clone();
        bad[2] = Float.NaN;
        assertThatThrownBy(() -> index.add(1, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-finite");
        assertThatThrownBy(() -> index.search(new float[5], 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimension");
        assertThat(index.search(data.view(0, 0), 3)).isEmpty();
    }
}
