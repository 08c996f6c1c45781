package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's HNSW peer: added from two threads, merged to one graph on disk, searched with several beams. */
class LuceneHnswMergeTest {
    @Test
    void mergesEveryThreadsSegmentIntoOneGraphThatStillFindsTheNearestAndCleansUp() {
        EmbeddingMatrix data = SyntheticVectors.clustered(3000, 16, 30, 0.8, 7);
        float[][] queries = SyntheticVectors.queriesNear(data, 20, 0.5, 8);
        Path folder;
        try (ScanPool pool = new ScanPool(2);
             LuceneHnswIndex hnsw = new IndexFactory(pool).hnsw(data, 100)) {
            ExactIndex exact = ExactIndex.of(data, pool);
            int before = hnsw.mergeToOneGraph();
            assertThat(before).isGreaterThanOrEqualTo(1);
            assertThat(hnsw.segments()).isEqualTo(1);
            assertThat(hnsw.size()).isEqualTo(3000);
            int narrow = 0;
            int wide = 0;
            for (float[] q : queries) {
                List<Long> truth = exact.search(q, 10).stream().map(ScoredId::id).toList();
                narrow += (int) hnsw.search(q, 10, 10).stream().filter(s -> truth.contains(s.id())).count();
                List<ScoredId> w = hnsw.search(q, 10, 400);
                assertThat(w).hasSize(10);
                wide += (int) w.stream().filter(s -> truth.contains(s.id())).count();
            }
            // a beam of 400 over 3,000 vectors is all but exhaustive; a beam of 10 is not better
            assertThat(wide).isGreaterThanOrEqualTo(198);
            assertThat(wide).isGreaterThanOrEqualTo(narrow);
            folder = hnsw.folder();
            assertThat(folder).isDirectory();
        }
        assertThat(Files.exists(folder)).as("the memory-mapped folder is deleted on close").isFalse();
    }
}
