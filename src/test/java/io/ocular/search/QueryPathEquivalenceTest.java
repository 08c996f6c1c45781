package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The fast query path of the compact codes against its plain twins (issue 13, query latency): the long-read ADC,
 * the transposed look-up table, the quickselect shortlist, the batched parallel re-rank, and the adaptive
 * re-rank depth.
 */
class QueryPathEquivalenceTest {
    private static ScanPool pool;

    @BeforeAll
    static void setUp() {
        pool = new ScanPool(2);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    @Test
    void longReadAdcAndTheListScoreAreBitIdenticalToTheBytewiseVersion() {
        Random r = new Random(7);
        for (int m : new int[]{1, 3, 4, 8, 12, 16, 17, 64}) {
            float[] lut = new float[m * 256];
            for (int i = 0; i < lut.length; i++) {
                lut[i] = (float) r.nextGaussian();
            }
            int n = 301;
            byte[] codes = new byte[n * m];
            r.nextBytes(codes);
            for (int i = 0; i < n; i++) {
                assertThat(AdcScanner.adc(codes, i * m, m, lut)).isEqualTo(AdcScanner.adcBytewise(codes, i * m, m, lut));
            }
            float[] fast = new float[n + 5];
            float[] plain = new float[n + 5];
            AdcScanner.score(codes, 3, n, m, lut, 0.25f, fast, 5);
            AdcScanner.scoreReference(codes, 3, n, m, lut, 0.25f, plain, 5);
            assertThat(fast).containsExactly(plain);
            assertThat(fast[5]).isEqualTo(0.25f + AdcScanner.adcBytewise(codes, 3 * m, m, lut));
        }
    }

    @Test
    void transposedLookupTableEqualsOneDotProductPerEntryExactly() {
        Random r = new Random(3);
        for (int[] shape : new int[][]{{1280, 64}, {512, 64}, {30, 7}, {8, 8}}) {
            int dim = shape[0];
            float[] books = new float[256 * dim];
            for (int i = 0; i < books.length; i++) {
                books[i] = (float) r.nextGaussian();
            }
            ProductQuantizer pq = ProductQuantizer.fromCodebooks(dim, shape[1], books);
            float[] q = new float[dim];
            for (int i = 0; i < dim; i++) {
                q[i] = (float) r.nextGaussian();
            }
            float[] fast = new float[shape[1] * 256];
            float[] plain = new float[shape[1] * 256];
            pq.innerProductTable(q, fast);
            pq.innerProductTableReference(q, plain);
            assertThat(fast).containsExactly(plain);
        }
    }

    @Test
    void quickselectFindsTheKthLargestLikeASortWithManyTies() {
        Random r = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(3000);
            float[] a = new float[n];
            int distinct = 1 + r.nextInt(trial % 2 == 0 ? 5 : 100_000); // few values: long runs of ties
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(distinct) - distinct / 2f;
            }
            float[] work = new float[n];
            int k = 1 + r.nextInt(n);
            assertThat(Shortlist.kthLargest(a, n, k, work)).isEqualTo(Shortlist.kthLargestReference(a, n, k));
        }
        float[] sorted = new float[5000]; // an adversarial order for a naive pivot
        for (int i = 0; i < sorted.length; i++) {
            sorted[i] = i;
        }
        assertThat(Shortlist.kthLargest(sorted, 5000, 17, new float[5000])).isEqualTo(4983f);
        assertThatThrownBy(() -> Shortlist.kthLargest(sorted, 10, 11, new float[10]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Codes of one byte over few distinct table values: scores tie a lot, so the tie rule decides membership. */
    private static InvertedLists tiedLists(int lists, int perList, Random r) {
        InvertedLists l = new InvertedLists(lists, 2);
        long id = 1;
        byte[] code = new byte[2];
        for (int list = 0; list < lists; list++) {
            for (int i = 0; i < perList; i++) {
                code[0] = (byte) r.nextInt(4);
                code[1] = (byte) r.nextInt(3);
                l.put(id, list, code, 0);
                id += 1 + r.nextInt(3);
            }
        }
        return l;
    }

    @Test
    void selectedShortlistHasExactlyTheHeapsAndTheReferencesMembersOnOneAndTwoThreads() {
        Random r = new Random(11);
        InvertedLists lists = tiedLists(6, 900, r);
        float[] lut = new float[2 * 256];
        for (int i = 0; i < lut.length; i++) {
            lut[i] = (i % 7) * 0.5f;
        }
        int[] probe = {4, 0, 2, 5};
        float[] base = {0.5f, 0f, 1f, 0.5f};
        for (int count : new int[]{AdcScanner.SELECT_MIN_COUNT, 500, 2000, 3599, 3600, 5000}) {
            Set<Long> reference = new HashSet<>();
            AdcScanner.scanReference(lists, probe, base, lut, count, null).forEach(s -> reference.add(s.id()));
            for (int parallelMin : new int[]{Integer.MAX_VALUE, 1}) {
                Shortlist selected = AdcScanner.shortlist(lists, probe, base, lut, count, pool, parallelMin, null);
                Shortlist heaped = AdcScanner.shortlist(lists, probe, base, lut, count, pool, parallelMin,
                        id -> true); // a filter takes the heap path
                assertThat(ids(selected)).as("count %d", count).isEqualTo(reference).isEqualTo(ids(heaped));
                assertThat(selected.toList()).isEqualTo(heaped.toList())
                        .isEqualTo(AdcScanner.scanReference(lists, probe, base, lut, count, null));
            }
        }
    }

    private static Set<Long> ids(Shortlist s) {
        Set<Long> out = new HashSet<>();
        for (int i = 0; i < s.size; i++) {
            out.add(s.ids[i]);
        }
        assertThat(out).hasSize(s.size);
        return out;
    }

    @Test
    void batchedParallelRerankEqualsTheOneCandidateAtATimeRerank() {
        EmbeddingMatrix data = SyntheticVectors.clustered(6000, 64, 30, 0.7, 2);
        ExactIndex exact = ExactIndex.of(data, pool);
        ExactReranker reranker = new ExactReranker(exact);
        float[][] queries = SyntheticVectors.queriesNear(data, 5, 0.4, 3);
        long[] ids = Arrays.copyOf(data.ids(), 5000);
        ids[7] = 999_999L; // no vector: dropped
        for (float[] q : queries) {
            List<ScoredId> list = new ArrayList<>();
            for (long id : ids) {
                list.add(new ScoredId(id, 0f));
            }
            List<ScoredId> plain = reranker.rerank(q, list, 25);
            assertThat(reranker.rerank(q, ids, ids.length, 25, pool)).isEqualTo(plain); // 5000 × 64 floats: split
            assertThat(reranker.rerank(q, ids, ids.length, 25, null)).isEqualTo(plain);
        }
    }

    @Test
    void adaptiveRerankWithoutALimitEqualsTheFullRerankAndWithOneStopsEarlyKeepingTheBest() {
        EmbeddingMatrix data = SyntheticVectors.clustered(8000, 32, 40, 0.7, 4);
        ExactIndex exact = ExactIndex.of(data, pool);
        ExactReranker reranker = new ExactReranker(exact);
        PqIndex index = PqIndex.train(data, PqConfig.forBits(64).withTraining(4000, 8, 3).withIvf(32, 8)
                .withRerankFactor(100), pool, reranker);
        float[][] queries = SyntheticVectors.queriesNear(data, 30, 0.4, 5);
        int full = 0;
        int early = 0;
        double hitsFixed = 0;
        double hitsAdaptive = 0;
        for (float[] q : queries) {
            int[] probe = new int[32];
            float[] base = new float[32];
            index.coarse().probe(q, 32, probe, base);
            Shortlist c = AdcScanner.shortlist(index.lists(), probe, base, table(index, q), 1000, pool,
                    Integer.MAX_VALUE, null);
            List<ScoredId> all = reranker.rerank(q, c.ids, c.size, 10, null);
            int[] depth = new int[1];
            assertThat(reranker.rerankAdaptive(q, c.ids, c.scores, c.size, 10, Double.MAX_VALUE, depth)).isEqualTo(all);
            assertThat(depth[0]).isEqualTo(c.size);
            reranker.rerankAdaptive(q, c.ids, c.scores, c.size, 10, 2.0, depth);
            full += c.size;
            early += depth[0];
            assertThat(depth[0]).isGreaterThanOrEqualTo(ExactReranker.BLOCK);

            Set<Long> truth = new HashSet<>();
            exact.search(q, 10).forEach(s -> truth.add(s.id()));
            hitsFixed += index.search(q, 10, null, 8, 100, 0).stream().filter(s -> truth.contains(s.id())).count();
            hitsAdaptive += index.search(q, 10, null, 8, 100, IndexPolicy.RERANK_Z).stream()
                    .filter(s -> truth.contains(s.id())).count();
        }
        assertThat(early).isLessThan(full / 2); // the rule stops well before 1,000 candidates
        // z = 4 (the app's) re-scores fewer candidates and loses at most a hit in 300 to re-scoring all 1,000
        assertThat(hitsAdaptive).isGreaterThanOrEqualTo(hitsFixed - 1);
        long[] counts = index.rerankCounts();
        assertThat(counts[0]).isEqualTo(60);
        assertThat(counts[1]).isLessThan(60L * 1000);
        assertThatThrownBy(() -> index.search(queries[0], 10, null, 8, 100, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] table(PqIndex index, float[] q) {
        float[] lut = new float[index.codeBytes() * 256];
        index.encoder().innerProductTable(q, lut);
        return lut;
    }
}
