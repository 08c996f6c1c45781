package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A build of the compact codes says how far it has come (status lines, the Settings tooltip, the log). */
class PqTrainerProgressTest {

    @Test
    void progressRisesFromZeroToOneBatchByBatch() {
        EmbeddingMatrix data = SyntheticVectors.clustered(PqTrainer.ENCODE_BATCH * 2 + 100, 8, 10, 0.7, 5);
        List<Double> seen = new ArrayList<>();
        try (ScanPool pool = new ScanPool(2)) {
            PqIndex index = PqIndex.train(VectorRows.of(data), PqConfig.forBits(32).withIvf(16, 4), pool, null,
                    seen::add);
            assertThat(index.size()).isEqualTo(data.rows());
        }
        assertThat(seen.get(0)).isEqualTo(0.0);
        assertThat(seen.get(1)).isEqualTo(PqTrainer.TRAINING_SHARE);
        assertThat(seen).hasSize(5).isSorted();
        assertThat(seen.get(seen.size() - 1)).isEqualTo(1.0);
    }
}
