package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder or date filter that leaves out most of the library (here 98 %) still gets k results from every index
 * kind the app and the bench use, all of them allowed (issue 11 part 3, issue 13 part 3): the filter is applied
 * inside the search, not to its top k afterwards.
 */
class ScopedIndexSearchTest {
    private static final int DIM = 32;
    private static final int K = 20;
    private static ScanPool pool;
    private static EmbeddingMatrix data;
    private static float[][] queries;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        pool = new ScanPool(2);
        data = SyntheticVectors.clustered(6_000, DIM, 60, 0.7, 5);
        queries = SyntheticVectors.queriesNear(data, 10, 0.4, 6);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    /** One id in fifty: "a folder", as the catalog hands it over (a known id set) and as a bare predicate. */
    private static List<SearchFilter> fewAllowed() {
        BitSet folder = new BitSet();
        for (long id : data.ids()) {
            if (id % 50 == 7) {
                folder.set((int) id);
            }
        }
        assertThat(folder.cardinality()).isBetween(100, 140);
        return List.of(SearchFilter.allowing(folder),
                SearchFilter.allowing(id -> id % 50 == 7), // a date range as a predicate: no known ids
                SearchFilter.allowing(folder).and(SearchFilter.excluding(Set.of(7L, 57L, 107L))));
    }

    /** k hits, all allowed, most of them the exact filtered top k. */
    private static void assertKAllowed(VectorIndex index, ExactIndex exact, double minOverlap) {
        for (SearchFilter f : fewAllowed()) {
            double overlap = 0;
            for (float[] q : queries) {
                List<ScoredId> got = index.search(q, K, f);
                assertThat(got).as("k results for %s", f).hasSize(K).allMatch(s -> f.allows(s.id()));
                assertThat(got.stream().map(ScoredId::id).distinct().count()).isEqualTo(K);
                Set<Long> want = new HashSet<>();
                exact.searchReference(q, K, f).forEach(s -> want.add(s.id()));
                overlap += got.stream().filter(s -> want.contains(s.id())).count() / (double) K;
            }
            assertThat(overlap / queries.length).as("overlap with the exact filtered top k, %s", f)
                    .isGreaterThanOrEqualTo(minOverlap);
        }
    }

    @Test
    void exactIndex() {
        ExactIndex exact = ExactIndex.of(data, pool);
        assertKAllowed(exact, exact, 1.0);
    }

    @Test
    void flatPqWithRerank() {
        ExactIndex exact = ExactIndex.of(data, pool);
        PqIndex pq = PqIndex.train(data, PqConfig.forBits(64).withTraining(4000, 8, 3).withRerankFactor(10), pool,
                new ExactReranker(exact));
        assertKAllowed(pq, exact, 0.9);
    }

    @Test
    void ivfPqProbesMoreListsUntilKAllowedAreFound() {
        ExactIndex exact = ExactIndex.of(data, pool);
        // 64 lists, 2 probed: the probed lists alone hold about 4 allowed codes of the 20 asked for
        PqIndex ivf = PqIndex.train(data, PqConfig.forBits(64).withTraining(4000, 8, 3).withRerankFactor(10)
                .withIvf(64, 2), pool, new ExactReranker(exact));
        assertKAllowed(ivf, exact, 0.8);
    }

    @Test
    void adaptiveIndexBeforeAndAfterItsCompactCodes() throws Exception {
        try (AdaptiveIndex exactOnly = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp.resolve("a"), "m", pool)) {
            assertThat(exactOnly.kind()).isEqualTo("exact");
            assertKAllowed(exactOnly, (ExactIndex) exactOnly.exact(), 1.0);
        }
        try (AdaptiveIndex compact = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp.resolve("b"), "m", pool, 1)) {
            assertThat(compact.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(compact.kind()).isEqualTo("ivfpq");
            assertKAllowed(compact, (ExactIndex) compact.exact(), 0.8);
            // a known small id set is scored exactly, id by id
            SearchFilter folder = fewAllowed().get(0);
            for (float[] q : queries) {
                ExactIndexTest.assertSameRanking(compact.search(q, K, folder), ((ExactIndex) compact.exact()).searchReference(q, K, folder));
            }
        }
    }

    @Test
    void luceneHnswTakesKnownIdSetsAsItsFilter() {
        ExactIndex exact = ExactIndex.of(data, pool);
        try (LuceneHnswIndex hnsw = new LuceneHnswIndex(DIM, 100)) {
            for (int i = 0; i < data.rows(); i++) {
                hnsw.add(data.ids()[i], data.row(i));
            }
            assertKAllowed(hnsw, exact, 0.8);
        }
    }

    @Test
    void aFilterAllowingFewerThanKGivesAllOfThemAndNoneGivesNothing() {
        ExactIndex exact = ExactIndex.of(data, pool);
        PqIndex ivf = PqIndex.train(data, PqConfig.forBits(64).withTraining(4000, 8, 3).withIvf(64, 2), pool,
                new ExactReranker(exact));
        BitSet three = new BitSet();
        three.set((int) data.ids()[1]);
        three.set((int) data.ids()[100]);
        three.set((int) data.ids()[5000]);
        for (VectorIndex index : List.of(exact, ivf)) {
            assertThat(index.search(queries[0], K, SearchFilter.allowing(three))).hasSize(3);
            assertThat(index.search(queries[0], K, SearchFilter.allowing(new BitSet()))).isEmpty();
        }
    }
}
