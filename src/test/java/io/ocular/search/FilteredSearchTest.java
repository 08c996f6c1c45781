package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.ocular.search.ExactIndexTest.assertSameRanking;
import static io.ocular.search.ExactIndexTest.unit;
import static org.assertj.core.api.Assertions.assertThat;

/** {@link VectorIndex#search(float[], int, SearchFilter)}: exactly k allowed hits, natively and by the fallback. */
class FilteredSearchTest {
    private static ScanPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ScanPool(3);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    private static ExactIndex index(Random r, int n, int dim) {
        long[] ids = new long[n];
        float[] data = new float[n * dim];
        for (int i = 0; i < n; i++) {
            ids[i] = 1 + 2L * i; // odd ids, so a filter on parity means something
            System.arraycopy(unit(r, dim), 0, data, i * dim, dim);
        }
        return ExactIndex.of(new EmbeddingMatrix("m", dim, ids, data), pool);
    }

    /** The interface's default only: an index that cannot filter while it scans. */
    private static VectorIndex withoutNativeFilter(ExactIndex exact) {
        return new VectorIndex() {
            @Override
            public int dimension() {
                return exact.dimension();
            }

            @Override
            public int size() {
                return exact.size();
            }

            @Override
            public void add(long id, float[] vector) {
                exact.add(id, vector);
            }

            @Override
            public boolean remove(long id) {
                return exact.remove(id);
            }

            @Override
            public List<ScoredId> search(float[] query, int k) {
                return exact.search(query, k);
            }
        };
    }

    private static List<SearchFilter> filters(Random r, ExactIndex index, List<Long> ids) {
        Set<Long> excluded = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            excluded.add(ids.get(r.nextInt(ids.size())));
        }
        BitSet folder = new BitSet();
        for (long id : ids) {
            if (id % 7 == 1) {
                folder.set((int) id); // one image in seven: "a folder"
            }
        }
        return List.of(SearchFilter.excluding(excluded), SearchFilter.allowing(folder),
                SearchFilter.allowing(id -> id > 3000 && id < 3400), // "a date range" as a predicate
                SearchFilter.allowing(folder).and(SearchFilter.excluding(excluded)),
                SearchFilter.allowing(id -> id == 5)); // fewer allowed than k
    }

    @Test
    void exactIndexFiltersNativelyAndEqualsTheReference() {
        Random r = new Random(7);
        for (int n : new int[] {2_000, 20_000}) { // the single-thread scan and the parallel one
            ExactIndex index = index(r, n, 24);
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ids.add(1 + 2L * i);
            }
            for (SearchFilter f : filters(r, index, ids)) {
                float[] q = unit(r, 24);
                for (int k : new int[] {1, 10, 1000}) {
                    List<ScoredId> got = index.search(q, k, f);
                    List<ScoredId> want = index.searchReference(q, k, f);
                    assertSameRanking(got, want);
                    assertThat(got).allMatch(s -> f.allows(s.id()));
                    long allowed = ids.stream().filter(f::allows).count();
                    assertThat(got).hasSize((int) Math.min(k, allowed));
                }
            }
        }
    }

    @Test
    void fallbackWidensUntilItHasExactlyKAllowedHits() {
        Random r = new Random(8);
        ExactIndex exact = index(r, 5_000, 16);
        VectorIndex plain = withoutNativeFilter(exact);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            ids.add(1 + 2L * i);
        }
        for (SearchFilter f : filters(r, exact, ids)) {
            float[] q = unit(r, 16);
            for (int k : new int[] {1, 50, 1000}) {
                assertSameRanking(plain.search(q, k, f), exact.searchReference(q, k, f));
            }
        }
        assertThat(plain.search(unit(r, 16), 10, SearchFilter.allowing(id -> false))).isEmpty();
        assertThat(plain.search(unit(r, 16), 0, SearchFilter.excluding(Set.of(1L)))).isEmpty();
    }

    @Test
    void luceneExcludesNativelyAndFallsBackForOtherFilters() {
        Random r = new Random(9);
        try (LuceneHnswIndex hnsw = new LuceneHnswIndex(16, 100)) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                long id = 1 + 2L * i;
                hnsw.add(id, unit(r, 16));
                ids.add(id);
            }
            float[] q = unit(r, 16);
            List<ScoredId> top = hnsw.search(q, 20);
            Set<Long> excluded = new HashSet<>();
            top.subList(0, 10).forEach(s -> excluded.add(s.id()));
            List<ScoredId> rest = hnsw.search(q, 20, SearchFilter.excluding(excluded));
            assertThat(rest).hasSize(20).noneMatch(s -> excluded.contains(s.id()));
            assertThat(rest.subList(0, 10)).extracting(ScoredId::id)
                    .containsExactlyElementsOf(top.subList(10, 20).stream().map(ScoredId::id).toList());
            List<ScoredId> odd = hnsw.search(q, 15, SearchFilter.allowing(id -> id % 4 == 1));
            assertThat(odd).hasSize(15).allMatch(s -> s.id() % 4 == 1);
        }
    }
}
