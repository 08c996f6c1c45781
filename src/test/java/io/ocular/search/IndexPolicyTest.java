package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexPolicyTest {

    @Test
    void exactUpToTheFloatBudgetThenIvfPq() {
        assertThat(IndexPolicy.kindFor(10_000, 512)).isEqualTo("exact");
        long atLimit = IndexPolicy.EXACT_MAX_FLOATS / 512;
        assertThat(IndexPolicy.kindFor(atLimit, 512)).isEqualTo("exact");
        assertThat(IndexPolicy.kindFor(atLimit + 1, 512)).isEqualTo("ivfpq");
        assertThat(IndexPolicy.kindFor(100_000, 1280)).isEqualTo("ivfpq");
        assertThat(IndexPolicy.kindFor(1_000_000, 512)).isEqualTo("ivfpq");
        // too few vectors to train codebooks stays exact however wide they are
        assertThat(IndexPolicy.kindFor(200, 1_000_000)).isEqualTo("exact");
    }

    @Test
    void ivfParametersStayWithinTheirLists() {
        for (long n : new long[]{1_000, 100_000, 1_000_000, 10_000_000}) {
            int lists = IndexPolicy.nlist(n);
            assertThat(IndexPolicy.nprobe(lists)).isBetween(1, lists);
            assertThat(IndexPolicy.rerank(n)).isPositive();
        }
        assertThat(IndexPolicy.describe(1_000_000, 512)).startsWith("ivfpq bits=512 nlist=");
        assertThat(IndexPolicy.describe(1_000, 512)).startsWith("exact");
    }

    @Test
    void aMillionVectorsGetManyTwoLevelListsAndSmallerLibrariesKeepTheirs() {
        // below the many-lists size nothing changes: √n lists, nlist/16 probed, the default sample
        assertThat(IndexPolicy.nlist(100_000)).isEqualTo(256);
        assertThat(IndexPolicy.nprobe(256)).isEqualTo(16);
        assertThat(IndexPolicy.nlist(300_000)).isEqualTo(512);
        assertThat(IndexPolicy.nprobe(512)).isEqualTo(32); // codes built with 512 lists keep their nprobe
        assertThat(IndexPolicy.trainSample(256)).isEqualTo(PqTrainer.PQ_TRAIN_ROWS);
        assertThat(IndexFactory.config("ivfpq", 512, 0, 0, 200, 100_000).trainSample()).isEqualTo(16_384);
        // from 500k: the power of two nearest 4·√n, 16 training rows a list, nlist/128 (at least 32) probed
        assertThat(IndexPolicy.nlist(IndexPolicy.MANY_LISTS_MIN_VECTORS)).isEqualTo(2048); // 4·707 = 2,828
        assertThat(IndexPolicy.nlist(1_000_000)).isEqualTo(4096);
        assertThat(IndexPolicy.nprobe(4096)).isEqualTo(32);
        assertThat(IndexPolicy.trainSample(4096)).isEqualTo(65_536);
        assertThat(IndexPolicy.nlist(10_000_000)).isEqualTo(16_384);
        assertThat(IndexPolicy.nprobe(16_384)).isEqualTo(128);
        assertThat(IndexPolicy.nlist(1_000_000_000L)).isEqualTo(IndexPolicy.MAX_LISTS);
        PqConfig million = IndexFactory.config("ivfpq", 512, 0, 0, 200, 1_000_000);
        assertThat(million.nlist()).isEqualTo(4096);
        assertThat(million.nprobe()).isEqualTo(32);
        assertThat(million.trainSample()).isEqualTo(65_536);
        assertThat(IndexPolicy.describe(1_000_000, 512)).contains("nlist=4096 nprobe=32");
    }

    @Test
    void searchTimeParametersMatchTheConfiguredSearchAndTradeRecall() {
        EmbeddingMatrix data = SyntheticVectors.clustered(4_000, 16, 40, 0.7, 5);
        float[][] queries = SyntheticVectors.queriesNear(data, 30, 0.5, 6);
        try (ScanPool pool = new ScanPool(2)) {
            ExactIndex exact = ExactIndex.of(data, pool);
            PqConfig cfg = PqConfig.forBits(32).withIvf(32, 4).withRerankFactor(5);
            PqIndex index = PqIndex.train(data, cfg, pool, new ExactReranker(exact));
            for (float[] q : queries) {
                assertThat(index.search(q, 10, 4, 5)).isEqualTo(index.search(q, 10));
            }
            assertThat(recall(index, exact, queries, 32, 20)).isGreaterThan(recall(index, exact, queries, 1, 1));
            assertThatThrownBy(() -> index.search(queries[0], 10, 0, 5)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static double recall(PqIndex index, ExactIndex exact, float[][] queries, int nprobe, int rerank) {
        double hits = 0;
        for (float[] q : queries) {
            List<Long> truth = exact.search(q, 10).stream().map(ScoredId::id).toList();
            hits += index.search(q, 10, nprobe, rerank).stream().filter(s -> truth.contains(s.id())).count();
        }
        return hits / (10.0 * queries.length);
    }
}
