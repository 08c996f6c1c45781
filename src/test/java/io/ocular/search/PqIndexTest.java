package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PqIndexTest {
    private static final int DIM = 32;
    private static ScanPool pool;
    private static EmbeddingMatrix data;
    private static ExactIndex exact;

    @BeforeAll
    static void setUp() {
        pool = new ScanPool(2);
        data = SyntheticVectors.clustered(16_000, DIM, 100, 0.7, 11);
        exact = ExactIndex.of(data, pool);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    private static PqConfig small(int bytes) {
        return PqConfig.forBits(bytes * 8).withTraining(4000, 8, 3);
    }

    private static double recallAt10(VectorIndex index, float[][] queries) {
        double hit = 0;
        for (float[] q : queries) {
            Set<Long> truth = new HashSet<>();
            exact.search(q, 10).forEach(s -> truth.add(s.id()));
            for (ScoredId s : index.search(q, 10)) {
                if (truth.contains(s.id())) {
                    hit++;
                }
            }
        }
        return hit / (10.0 * queries.length);
    }

    @Test
    void optimisedAdcEqualsScalarReference() {
        Random r = new Random(5);
        for (int m : new int[]{1, 2, 3, 4, 7, 8, 64}) {
            float[] lut = new float[m * 256];
            float[][] table = new float[m][256];
            for (int j = 0; j < m; j++) {
                for (int c = 0; c < 256; c++) {
                    lut[j * 256 + c] = table[j][c] = (float) r.nextGaussian();
                }
            }
            byte[] codes = new byte[100 * m];
            r.nextBytes(codes);
            for (int i = 0; i < 100; i++) {
                assertThat(AdcScanner.adc(codes, i * m, m, lut))
                        .isCloseTo(AdcScanner.adcReference(codes, i * m, m, table), within(1e-4f));
            }
        }
    }

    @Test
    void aFilterInsideTheScanReturnsExactlyKAllowedHitsEqualToTheReference() {
        float[][] queries = SyntheticVectors.queriesNear(data, 5, 0.3, 4);
        LongPredicate odd = id -> id % 2 == 1;
        for (PqConfig c : List.of(small(8), small(8).withIvf(64, 64))) {
            PqIndex index = PqIndex.train(data, c, pool, new ExactReranker(exact));
            index.parallelMinCodes = 1000;
            for (float[] q : queries) {
                List<ScoredId> hits = index.search(q, 25, odd);
                assertThat(hits).hasSize(25).allMatch(h -> h.id() % 2 == 1);
                assertThat(hits).extracting(ScoredId::id).containsExactlyInAnyOrderElementsOf(
                        index.searchReference(q, 25, odd).stream().map(ScoredId::id).toList());
                // filtering inside the scan finds what post-filtering a much deeper unfiltered search finds
                List<Long> postFiltered = index.search(q, 2000).stream().map(ScoredId::id)
                        .filter(id -> id % 2 == 1).limit(25).toList();
                assertThat(hits).extracting(ScoredId::id).containsExactlyElementsOf(postFiltered);
            }
            assertThat(index.search(queries[0], 10, SearchFilter.allowing(id -> false))).isEmpty();
        }
    }

    @Test
    void parallelFirstPassEqualsReferenceScanWithAndWithoutIvf() {
        float[][] queries = SyntheticVectors.queriesNear(data, 5, 0.3, 3);
        for (PqConfig c : List.of(small(8), small(8).withIvf(64, 60))) {
            PqIndex index = PqIndex.train(data, c, pool, null);
            index.parallelMinCodes = 1000; // exercise the multi-threaded split on this small set
            for (float[] q : queries) {
                List<ScoredId> fast = index.candidates(q, 50, false);
                List<ScoredId> ref = index.candidates(q, 50, true);
                assertThat(fast).hasSameSizeAs(ref);
                for (int i = 0; i < fast.size(); i++) {
                    assertThat(fast.get(i).score()).isCloseTo(ref.get(i).score(), within(1e-5f));
                }
                // Same members (order may differ only between scores equal to float rounding).
                assertThat(fast.stream().map(ScoredId::id).toList())
                        .containsExactlyInAnyOrderElementsOf(ref.stream().map(ScoredId::id).toList());
            }
        }
    }

    @Test
    void exactRerankLiftsRecallOfShortCodes() {
        float[][] queries = SyntheticVectors.queriesNear(data, 40, 0.3, 4);
        PqIndex adcOnly = PqIndex.train(data, small(4), pool, null);
        PqIndex reranked = PqIndex.train(data, small(4).withRerankFactor(20), pool, new ExactReranker(exact));
        PqIndex ivf = PqIndex.train(data, small(4).withRerankFactor(20).withIvf(64, 16), pool, new ExactReranker(exact));
        double r0 = recallAt10(adcOnly, queries);
        double r1 = recallAt10(reranked, queries);
        double r2 = recallAt10(ivf, queries);
        assertThat(r1).isGreaterThan(r0).isGreaterThanOrEqualTo(0.9);
        assertThat(r2).isGreaterThanOrEqualTo(0.85);
        // The reference path gives the same final answer.
        assertThat(ivf.searchReference(queries[0], 10).stream().map(ScoredId::id).toList())
                .isEqualTo(ivf.search(queries[0], 10).stream().map(ScoredId::id).toList());
    }

    @Test
    void incrementalAddRemoveAndRetrainHeuristic() {
        EmbeddingMatrix first = SyntheticVectors.clustered(2000, DIM, 20, 0.7, 21);
        ExactIndex vectors = ExactIndex.of(first, pool);
        PqIndex index = PqIndex.train(first, small(8).withIvf(16, 16), pool, new ExactReranker(vectors));
        assertThat(index.size()).isEqualTo(2000);
        assertThat(index.needsRetrain()).isFalse();
        for (long id = 1; id <= 2000; id += 2) {
            assertThat(index.remove(id)).isTrue();
            vectors.remove(id);
        }
        assertThat(index.remove(1)).isFalse();
        assertThat(index.size()).isEqualTo(1000);
        float[] q = first.row(10); // id 11: removed
        assertThat(index.search(q, 20)).noneMatch(s -> s.id() % 2 == 1);
        // New vectors (from a different mixture) are found without retraining.
        EmbeddingMatrix more = SyntheticVectors.clustered(4000, DIM, 20, 0.7, 22);
        for (int i = 0; i < more.rows(); i++) {
            vectors.add(10_000 + i, more.row(i));
            index.add(10_000 + i, more.row(i));
        }
        assertThat(index.search(more.row(77), 1).get(0).id()).isEqualTo(10_077L);
        assertThat(index.needsRetrain()).isTrue(); // 5000 > 2 x 2000
        // Re-adding an id replaces it rather than duplicating.
        index.add(10_077, more.row(78));
        assertThat(index.size()).isEqualTo(5000);
    }

    @Test
    void rejectsNonFiniteAndWrongDimension() {
        PqIndex index = PqIndex.train(SyntheticVectors.clustered(500, DIM, 5, 0.7, 1), small(4), pool, null);
        float[] bad = new float[DIM];
        bad[3] = Float.NaN;
        assertThatThrownBy(() -> index.add(1, bad)).hasMessageContaining("image 1").hasMessageContaining("NaN");
        assertThatThrownBy(() -> index.add(1, new float[DIM + 1])).hasMessageContaining("dimensions");
        bad[3] = Float.POSITIVE_INFINITY;
        assertThatThrownBy(() -> index.search(bad, 5)).hasMessageContaining("query");
        EmbeddingMatrix nan = new EmbeddingMatrix("m", 2, new long[]{4, 5}, new float[]{1, 0, Float.NaN, 1});
        assertThatThrownBy(() -> PqIndex.train(nan, PqConfig.forBits(8), pool, null)).hasMessageContaining("image 5");
    }

    @Test
    void savesLoadsAndRebuildsWhenDamaged(@TempDir Path dir) throws IOException {
        EmbeddingMatrix m = SyntheticVectors.clustered(1500, DIM, 30, 0.7, 31);
        ExactIndex vectors = ExactIndex.of(m, pool);
        PqConfig c = small(8).withIvf(16, 4).withOpq(true);
        AtomicInteger builds = new AtomicInteger();
        PqIndex built = PqIndex.openOrBuild(dir, c, () -> {
            builds.incrementAndGet();
            return m;
        }, pool, new ExactReranker(vectors));
        assertThat(builds).hasValue(1);
        built.remove(5);
        built.save(dir);
        float[] q = m.row(100);

        PqIndex loaded = PqIndex.openOrBuild(dir, c, () -> {
            builds.incrementAndGet();
            return m;
        }, pool, new ExactReranker(vectors));
        assertThat(builds).hasValue(1); // intact: loaded, not rebuilt
        assertThat(loaded.size()).isEqualTo(1499);
        assertThat(loaded.search(q, 10)).isEqualTo(built.search(q, 10));
        assertThat(loaded.candidates(q, 30, false)).isEqualTo(built.candidates(q, 30, false));

        // Flip one byte in the middle of the codes file: detected, rebuilt from the vectors.
        Path codes = dir.resolve(PqIndexFiles.CODES_FILE);
        byte[] bytes = Files.readAllBytes(codes);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(codes, bytes);
        assertThatThrownBy(() -> PqIndex.load(dir, pool, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("checksum");
        PqIndex rebuilt = PqIndex.openOrBuild(dir, c, () -> {
            builds.incrementAndGet();
            return m;
        }, pool, new ExactReranker(vectors));
        assertThat(builds).hasValue(2);
        assertThat(rebuilt.size()).isEqualTo(1500);
        assertThat(PqIndex.load(dir, pool, null).size()).isEqualTo(1500); // the rebuilt files are intact

        // Truncated model file, and a different configuration, also rebuild.
        Path model = dir.resolve(PqIndexFiles.MODEL_FILE);
        byte[] mb = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(mb, mb.length - 100));
        assertThatThrownBy(() -> PqIndex.load(dir, pool, null)).hasMessageContaining("truncated");
        PqIndex.openOrBuild(dir, c, () -> {
            builds.incrementAndGet();
            return m;
        }, pool, null);
        assertThat(builds).hasValue(3);
        PqIndex.openOrBuild(dir, small(4), () -> {
            builds.incrementAndGet();
            return m;
        }, pool, null);
        assertThat(builds).hasValue(4);
        // Codes from another model are refused even if both files are intact.
        Path other = dir.resolve("other");
        PqIndex.train(m, small(4), pool, null).save(other);
        PqIndex.train(m, PqConfig.forBits(32).withTraining(2000, 8, 3), pool, null).save(dir);
        Files.copy(other.resolve(PqIndexFiles.CODES_FILE), dir.resolve(PqIndexFiles.CODES_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> PqIndex.load(dir, pool, null)).hasMessageContaining("different PQ model");
    }

    @Test
    void mappedVectorFileServesTheReranker(@TempDir Path dir) throws IOException {
        EmbeddingMatrix m = SyntheticVectors.clustered(500, DIM, 5, 0.7, 41);
        Path file = dir.resolve("vectors.bin");
        MappedVectorFile.write(file, m);
        try (MappedVectorFile mapped = MappedVectorFile.open(file)) {
            assertThat(mapped.rows()).isEqualTo(500);
            float[] q = m.row(7);
            assertThat(mapped.dot(8, q)).isCloseTo(VectorMath.dotReference(q, 0, m.row(7), 0, DIM), within(1e-6f));
            assertThat(mapped.dot(99_999, q)).isNaN();
            List<ScoredId> out = new ExactReranker(mapped).rerank(q,
                    List.of(new ScoredId(99_999, 9f), new ScoredId(3, 0f), new ScoredId(8, 0f)), 2);
            assertThat(out).extracting(ScoredId::id).containsExactly(8L, 3L);
        }
        byte[] b = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(b, b.length - 4));
        assertThatThrownBy(() -> MappedVectorFile.open(file)).hasMessageContaining("truncated");
    }
}
