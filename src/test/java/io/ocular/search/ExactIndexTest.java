package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ExactIndexTest {
    private static ScanPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ScanPool(3);
    }

    @AfterAll
    static void stopPool() {
        pool.close();
    }

    static float[] unit(Random r, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return VectorMath.normalise(v);
    }

    static void assertSameRanking(List<ScoredId> actual, List<ScoredId> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(actual.get(i).id()).as("rank " + i).isEqualTo(expected.get(i).id());
            assertThat(actual.get(i).score()).isCloseTo(expected.get(i).score(), within(1e-5f));
        }
    }

    @Test
    void parallelScanEqualsNaiveReference() {
        Random r = new Random(1);
        int dim = 67;
        int n = 20_000; // above the parallel threshold, and several chunks
        long[] ids = new long[n];
        float[] data = new float[n * dim];
        for (int i = 0; i < n; i++) {
            ids[i] = 1000L + 3L * i;
            System.arraycopy(unit(r, dim), 0, data, i * dim, dim);
        }
        ExactIndex index = ExactIndex.of(new EmbeddingMatrix("m", dim, ids, data), pool);
        assertThat(index.size()).isEqualTo(n);
        for (int q = 0; q < 8; q++) {
            float[] query = unit(r, dim);
            int k = 1 + r.nextInt(50);
            assertSameRanking(index.search(query, k), index.searchReference(query, k));
        }
        // A stored vector finds itself first.
        float[] self = index.vector(ids[1234]);
        assertThat(index.search(self, 1).get(0).id()).isEqualTo(ids[1234]);
    }

    @Test
    void addReplaceRemoveKeepRowsConsistent() {
        Random r = new Random(2);
        int dim = 16;
        ExactIndex index = new ExactIndex(dim, pool);
        float[][] vs = new float[20_000][];
        for (int i = 0; i < vs.length; i++) {
            vs[i] = unit(r, dim);
            index.add(i, vs[i]);
        }
        // Remove every third id (swap-with-last moves rows around) and replace some others.
        for (int i = 0; i < vs.length; i += 3) {
            assertThat(index.remove(i)).isTrue();
        }
        assertThat(index.remove(0)).isFalse();
        for (int i = 1; i < vs.length; i += 7) {
            if (i % 3 != 0) {
                vs[i] = unit(r, dim);
                index.add(i, vs[i]);
            }
        }
        assertThat(index.size()).isEqualTo(vs.length - (vs.length + 2) / 3);
        for (int i = 0; i < vs.length; i++) {
            if (i % 3 == 0) {
                assertThat(index.contains(i)).isFalse();
                assertThat(index.dot(i, vs[i])).isNaN();
            } else {
                assertThat(index.vector(i)).containsExactly(vs[i]);
            }
        }
        for (int q = 0; q < 5; q++) {
            float[] query = unit(r, dim);
            List<ScoredId> hits = index.search(query, 30);
            assertSameRanking(hits, index.searchReference(query, 30));
            assertThat(hits).allSatisfy(h -> assertThat(h.id() % 3).isNotZero());
        }
        // Remove everything: empty, searchable.
        for (int i = 0; i < vs.length; i++) {
            index.remove(i);
        }
        assertThat(index.size()).isZero();
        assertThat(index.search(unit(r, dim), 5)).isEmpty();
    }

    @Test
    void rejectsBadVectorsWithClearMessages() {
        ExactIndex index = new ExactIndex(4, pool);
        assertThatThrownBy(() -> index.add(7, new float[]{1, 0, Float.NaN, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image 7").hasMessageContaining("NaN");
        assertThatThrownBy(() -> index.add(7, new float[]{1, Float.POSITIVE_INFINITY, 0, 0}))
                .hasMessageContaining("Infinity");
        assertThatThrownBy(() -> index.add(7, new float[3])).hasMessageContaining("3 dimensions")
                .hasMessageContaining("4-dimensional");
        assertThatThrownBy(() -> index.search(new float[5], 3)).hasMessageContaining("query");
        assertThatThrownBy(() -> index.search(new float[]{0, Float.NaN, 0, 0}, 3)).hasMessageContaining("query");
        assertThatThrownBy(() -> ExactIndex.of(new EmbeddingMatrix("m", 2, new long[]{5, 6},
                new float[]{1, 0, Float.NEGATIVE_INFINITY, 0}), pool)).hasMessageContaining("image 6");
        assertThat(index.size()).isZero();
    }

    @Test
    void aBatchAddEqualsAddingOneByOneAndABadVectorStoresNoneOfTheBatch() {
        Random r = new Random(3);
        int dim = 16;
        ExactIndex single = new ExactIndex(dim, pool);
        ExactIndex batched = new ExactIndex(dim, pool);
        List<Long> ids = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (long id = 1; id <= 20_000; id++) { // across chunks and above the parallel-scan size
            float[] v = unit(r, dim);
            single.add(id, v);
            ids.add(id);
            vectors.add(v);
        }
        batched.addBatch(ids, vectors);
        float[] replaced = unit(r, dim);
        single.add(7, replaced);
        batched.addBatch(List.of(7L), List.<float[]>of(replaced));
        assertThat(batched.size()).isEqualTo(single.size()).isEqualTo(20_000);
        assertThat(batched.vector(7)).containsExactly(replaced);
        for (int q = 0; q < 5; q++) {
            float[] query = unit(r, dim);
            assertSameRanking(batched.search(query, 10), single.search(query, 10));
        }

        float[] bad = new float[dim];
        bad[3] = Float.NaN;
        assertThatThrownBy(() -> batched.addBatch(List.of(30_001L, 30_002L), List.of(unit(r, dim), bad)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image 30002");
        assertThat(batched.contains(30_001L)).as("checked before anything is stored").isFalse();
        assertThatThrownBy(() -> batched.addBatch(List.of(1L, 2L), List.<float[]>of(unit(r, dim))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 ids came with 1 vectors");
        assertThat(batched.size()).isEqualTo(20_000);
    }

    /** The id bookkeeping is primitive arrays: a few dozen bytes a photo, reported for the soak's accounting. */
    @Test
    void idBookkeepingIsSmallAndAnyIdWorks() {
        Random r = new Random(4);
        int dim = 8;
        ExactIndex index = new ExactIndex(dim, pool);
        assertThat(index.idBytes()).isLessThan(1024);
        long[] odd = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        for (long id : odd) {
            index.add(id, unit(r, dim));
        }
        for (int i = 1; i <= 100_000; i++) {
            index.add(i * 1_000_003L, unit(r, dim));
        }
        assertThat(index.size()).isEqualTo(100_004);
        for (long id : odd) {
            assertThat(index.contains(id)).isTrue();
        }
        assertThat(index.remove(Long.MIN_VALUE)).isTrue();
        assertThat(index.contains(Long.MIN_VALUE)).isFalse();
        assertThat(index.vector(Long.MAX_VALUE)).hasSize(dim);
        long perPhoto = index.idBytes() / index.size();
        assertThat(perPhoto).as("bytes of id bookkeeping per photo").isBetween(24L, 55L);
    }
}
