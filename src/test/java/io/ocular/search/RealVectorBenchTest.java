package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code bench search --vectors-from}: real vectors replicated with noise, held-out photos as the queries. */
class RealVectorBenchTest {

    @Test
    void replicasAreUnitVectorsNearTheirPhotoAtTheCosineTheNoiseGives() {
        EmbeddingMatrix base = SyntheticVectors.clustered(50, 256, 5, 0.8, 1);
        EmbeddingMatrix grown = SyntheticVectors.replicated(base, 1000, 0.25, 2);
        assertThat(grown.rows()).isEqualTo(1000);
        assertThat(grown.ids()[0]).isEqualTo(1);
        assertThat(grown.ids()[999]).isEqualTo(1000);
        double expected = 1 / Math.sqrt(1 + 0.25 * 0.25);
        for (int i = 0; i < grown.rows(); i += 37) {
            float[] row = grown.row(i);
            assertThat(VectorMath.l2norm(row)).isCloseTo(1f, within(1e-4f));
            assertThat((double) VectorMath.dot(row, base.row(i % 50))).isCloseTo(expected, within(0.03));
            // nearer its own photo than any other photo of the base
            for (int b = 0; b < 50; b++) {
                if (b != i % 50) {
                    assertThat(VectorMath.dot(row, base.row(b))).isLessThan(VectorMath.dot(row, base.row(i % 50)));
                }
            }
        }
        assertThatThrownBy(() -> SyntheticVectors.replicated(base, 10, -1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theBenchHoldsOutRealPhotosAsQueriesAndMeasuresEveryIndexOnTheGrownLibrary() {
        EmbeddingMatrix photos = SyntheticVectors.clustered(300, 32, 12, 0.9, 3);
        SearchBench.RealVectors real = new SearchBench.RealVectors(photos, 0.3, "test photos");
        try (ScanPool pool = new ScanPool(2)) {
            SearchBench.Report r = new SearchBench(pool).run(new SearchBench.Spec(6000, 32, "ivfpq", 64, 20, 16,
                    List.of(16), List.of(20), 7, false, 0, List.of()), real);
            assertThat(r.data()).startsWith("real: 300").contains("20 held out").contains("280 replicated to 6000")
                    .contains("noise 0.30");
            assertThat(r.main().n()).isEqualTo(6000);
            // every list probed and 200 candidates re-scored: the re-rank finds the exact top 10
            assertThat(r.main().recallAt10()).isGreaterThan(0.95);
            assertThat(r.exact().recallAt10()).isEqualTo(1.0);

            SearchBench.Report synthetic = new SearchBench(pool).run(SearchBench.Spec.of(500, 8, "exact", 64));
            assertThat(synthetic.data()).startsWith("synthetic:");
            assertThatThrownBy(() -> new SearchBench(pool).run(new SearchBench.Spec(1000, 32, "exact", 64, 295, 0,
                    List.of(), List.of(), 1, false), real)).hasMessageContaining("need at least 305 real vectors");
            assertThatThrownBy(() -> new SearchBench(pool).run(SearchBench.Spec.of(1000, 16, "exact", 64), real))
                    .hasMessageContaining("32 dimensions, not 16");
        }
    }
}
