package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The compact codes' recall self-check: what it measures, when it runs, and the retrain it asks for. */
class RecallCheckTest {
    private static final int DIM = 16;
    /** 20,000 floats: 1,250 photos of 16 floats; compact codes above. */
    private static final long THRESHOLD = 20_000;
    @RegisterExtension
    static final ScanPoolExtension POOL = new ScanPoolExtension(2);
    private static final ScanPool pool = POOL.pool();

    @TempDir
    Path tmp;

    @Test
    void measuresTheShareOfTheExactTopTenFoundLeavingTheQueryOut() {
        EmbeddingMatrix data = SyntheticVectors.clustered(500, DIM, 5, 0.7, 1);
        ExactIndex exact = ExactIndex.of(data, pool);
        assertThat(RecallCheck.measure(data.ids(), exact::vector, exact::search, exact::search, 16, 1)).isEqualTo(1.0);
        // the query itself first, then the truth: still 1 (the query is left out of both lists)
        assertThat(RecallCheck.measure(data.ids(), exact::vector, (q, k) -> exact.search(q, k), exact::search, 16, 2))
                .isEqualTo(1.0);
        // a search that finds the next ten instead of the first ten: 0
        assertThat(RecallCheck.measure(data.ids(), exact::vector, (q, k) -> exact.search(q, 2 * k).subList(k, 2 * k),
                exact::search, 16, 3)).isEqualTo(0.0);
        // half of the ten
        assertThat(RecallCheck.measure(data.ids(), exact::vector, (q, k) -> halfRight(exact.search(q, 2 * k), k),
                exact::search, 16, 4)).isEqualTo(0.5);
        assertThat(RecallCheck.measure(new long[5], id -> null, exact::search, exact::search, 16, 1)).isNaN();
    }

    private static List<ScoredId> halfRight(List<ScoredId> twenty, int k) {
        List<ScoredId> out = new ArrayList<>(twenty.subList(0, 6)); // the query and 5 true neighbours
        out.addAll(twenty.subList(k + 1, k + 6));                    // 5 beyond the true ten
        return out;
    }

    @Test
    void itIsDueAfterAQuarterMoreAndAsksForARetrainOnlyWhenRecallFellInAGrownLibrary() {
        assertThat(RecallCheck.due(0, 1_000_000)).isFalse(); // not to be checked
        assertThat(RecallCheck.due(1000, 1249)).isFalse();
        assertThat(RecallCheck.due(1000, 1250)).isTrue();
        // fell by more than the allowed drop, in a library a quarter larger than the training
        assertThat(RecallCheck.asksRetrain(0.95, 0.89, 1000, 1250)).isTrue();
        assertThat(RecallCheck.asksRetrain(0.95, 0.91, 1000, 1250)).isFalse();
        // the same fall where nearly every photo was seen by the training: retraining would change nothing
        assertThat(RecallCheck.asksRetrain(0.95, 0.70, 1000, 1200)).isFalse();
        // no baseline (codes loaded at start): only the floor counts
        assertThat(RecallCheck.asksRetrain(Double.NaN, 0.85, 1000, 2000)).isFalse();
        assertThat(RecallCheck.asksRetrain(Double.NaN, 0.79, 1000, 2000)).isTrue();
        assertThat(RecallCheck.asksRetrain(0.95, Double.NaN, 1000, 2000)).isFalse();
    }

    @Test
    void newPhotosUnlikeTheTrainingOnesLowerTheSelfCheckAndTheCodesAreRetrainedBeforeTheLibraryDoubles()
            throws Exception {
        EmbeddingMatrix old = SyntheticVectors.clustered(2_000, DIM, 20, 0.7, 3);
        // the new photos: a few tight bursts the old codebooks cannot tell apart (a new kind of subject)
        EmbeddingMatrix unlike = shifted(SyntheticVectors.clustered(1_000, DIM, 3, 0.15, 77), 100_000);
        try (AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(slice(old, 0, 500), pool), tmp, "m", pool,
                THRESHOLD)) {
            assertThat(a.kind()).isEqualTo("exact");
            a.searchParameters(1, 1); // one list, ten candidates: what is found is what the codes tell apart
            addAll(a, slice(old, 500, 2_000));
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.kind()).isEqualTo("ivfpq");
            assertThat(a.codesTrainedOn()).isEqualTo(2_000);
            double baseline = a.recallSelfCheck();
            assertThat(baseline).isBetween(0.0, 1.0);
            assertThat(a.describe()).contains("recall self-check");

            addAll(a, unlike); // 3,000 photos: half as many again, short of twice the training
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.codesTrainedOn()).as("retrained because the self-check fell").isEqualTo(3_000);
            assertThat(a.kind()).isEqualTo("ivfpq");
            assertThat(a.recallSelfCheck()).as("the retrained codes' own baseline").isBetween(0.0, 1.0);
        }
    }

    @Test
    void morePhotosLikeTheOldOnesKeepTheCodes() throws Exception {
        EmbeddingMatrix old = SyntheticVectors.clustered(3_000, DIM, 20, 0.7, 3);
        try (AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(slice(old, 0, 2_000), pool), tmp, "m", pool,
                THRESHOLD)) {
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.codesTrainedOn()).isEqualTo(2_000);
            double baseline = a.recallSelfCheck();
            assertThat(baseline).isGreaterThan(0.9);
            addAll(a, slice(old, 2_000, 3_000));
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.recallSelfCheck()).as("checked again after half as many again").isGreaterThan(0.9);
            assertThat(a.codesTrainedOn()).isEqualTo(2_000);
        }
    }

    private static void addAll(AdaptiveIndex a, EmbeddingMatrix m) {
        List<Long> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < m.rows(); i++) {
            ids.add(m.ids()[i]);
            vectors.add(m.row(i));
        }
        a.addBatch(ids, vectors);
    }

    private static EmbeddingMatrix slice(EmbeddingMatrix m, int from, int to) {
        return new EmbeddingMatrix(m.modelId(), m.dimension(), Arrays.copyOfRange(m.ids(), from, to),
                Arrays.copyOfRange(m.data(), from * m.dimension(), to * m.dimension()));
    }

    private static EmbeddingMatrix shifted(EmbeddingMatrix m, long idOffset) {
        long[] ids = m.ids().clone();
        for (int i = 0; i < ids.length; i++) {
            ids[i] += idOffset;
        }
        return new EmbeddingMatrix(m.modelId(), m.dimension(), ids, m.data());
    }
}
