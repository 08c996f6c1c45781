package io.ocular.search;

import io.ocular.model.ScoredId;
import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The memory-mapped full-vector tier answers exactly like the in-heap one, across changes and restarts. */
class MappedVectorsTest {
    private static final int DIM = 24;
    @RegisterExtension
    static final ScanPoolExtension POOL = new ScanPoolExtension(2);
    private static final ScanPool pool = POOL.pool();
    private static EmbeddingMatrix data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        data = SyntheticVectors.clustered(20_000, DIM, 40, 0.7, 5); // above the parallel-scan size
    }

    private MappedVectors create(EmbeddingMatrix m) throws IOException {
        return MappedVectors.create(tmp, DIM, pool, w -> {
            long[] ids = m.ids().clone();
            Integer[] order = new Integer[ids.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
            for (int i : order) {
                w.append(ids[i], m.row(i));
            }
        });
    }

    @Test
    void searchDotAndIdsEqualTheInHeapIndexAcrossAddsRemovesReplacesAndReopens() throws IOException {
        ExactIndex heap = ExactIndex.of(data, pool);
        Random r = new Random(11);
        float[][] queries = SyntheticVectors.queriesNear(data, 30, 0.5, 3);
        try (MappedVectors mapped = create(data)) {
            assertSame(heap, mapped, queries);
            change(heap, mapped, r);
            assertSame(heap, mapped, queries);
        }
        try (MappedVectors reopened = MappedVectors.open(tmp, DIM, pool)) {
            assertThat(reopened.pendingChanges()).as("the journal was replayed").isGreaterThan(0);
            assertSame(heap, reopened, queries);
            reopened.compact();
            assertThat(reopened.pendingChanges()).isZero();
            assertSame(heap, reopened, queries);
            change(heap, reopened, r);
            assertSame(heap, reopened, queries);
        }
        try (MappedVectors again = MappedVectors.open(tmp, DIM, pool)) {
            assertSame(heap, again, queries);
        }
    }

    private static void change(ExactIndex heap, MappedVectors mapped, Random r) {
        for (int i = 0; i < 300; i++) {
            long id = data.ids()[r.nextInt(data.rows())];
            assertThat(mapped.remove(id)).isEqualTo(heap.remove(id));
            float[] v = data.row(r.nextInt(data.rows())).clone();
            v[0] += 0.01f;
            long replaced = data.ids()[r.nextInt(data.rows())];
            heap.add(replaced, v);
            mapped.add(replaced, v);
            heap.add(1_000_000L + i, v);
            mapped.add(1_000_000L + i, v);
        }
        assertThat(mapped.remove(-5)).isFalse();
    }

    private static void assertSame(ExactIndex heap, MappedVectors mapped, float[][] queries) {
        assertThat(mapped.size()).isEqualTo(heap.size());
        long[] a = heap.ids();
        long[] b = mapped.ids();
        Arrays.sort(a);
        Arrays.sort(b);
        assertThat(b).isEqualTo(a);
        SearchFilter odd = SearchFilter.allowing(id -> id % 2 == 1);
        for (float[] q : queries) {
            assertThat(mapped.search(q, 10)).isEqualTo(heap.search(q, 10));
            assertThat(mapped.search(q, 10, odd)).isEqualTo(heap.search(q, 10, odd));
            for (int i = 0; i < 5; i++) {
                long id = a[i * 997 % a.length];
                assertThat(mapped.dot(id, q)).isEqualTo(heap.dot(id, q));
                assertThat(mapped.vector(id)).isEqualTo(heap.vector(id));
            }
        }
        assertThat(mapped.dot(-1, queries[0])).isNaN();
    }

    @Test
    void aTornJournalTailIsCutOffKeepingTheChangesBeforeIt() throws IOException {
        try (MappedVectors mapped = create(data)) {
            mapped.add(5_000_001L, data.row(1));
            mapped.add(5_000_002L, data.row(2));
        }
        Path journal = tmp.resolve(MappedVectors.JOURNAL_FILE);
        long size = Files.size(journal);
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.setLength(size - 10); // a crash in the middle of the second record
        }
        try (MappedVectors reopened = MappedVectors.open(tmp, DIM, pool)) {
            assertThat(reopened.contains(5_000_001L)).isTrue();
            assertThat(reopened.contains(5_000_002L)).isFalse();
            assertThat(reopened.size()).isEqualTo(data.rows() + 1);
            reopened.add(5_000_003L, data.row(3)); // appends after the cut, not after the garbage
        }
        try (MappedVectors again = MappedVectors.open(tmp, DIM, pool)) {
            assertThat(again.contains(5_000_003L)).isTrue();
            assertThat(again.size()).isEqualTo(data.rows() + 2);
        }
    }

    @Test
    void aTruncatedForeignOrOtherVersionBaseFileIsRefusedWithAReason() throws IOException {
        create(data).close();
        Path base = tmp.resolve(MappedVectors.BASE_FILE);
        assertThatThrownBy(() -> MappedVectors.open(tmp, DIM + 1, pool)).hasMessageContaining("not " + (DIM + 1));
        byte[] bytes = Files.readAllBytes(base);
        Files.write(base, Arrays.copyOf(bytes, bytes.length - 4));
        assertThatThrownBy(() -> MappedVectors.open(tmp, DIM, pool)).hasMessageContaining("truncated");
        bytes[7] = '1'; // OCVECS01: the previous format
        Files.write(base, bytes);
        assertThatThrownBy(() -> MappedVectors.open(tmp, DIM, pool)).hasMessageContaining("not a vector file");
    }

    @Test
    void writingRefusesIdsOutOfOrder() throws IOException {
        try (MappedVectorFile.Writer w = MappedVectorFile.Writer.create(tmp.resolve("x.bin"), 2)) {
            w.append(5, new float[]{1, 0});
            assertThatThrownBy(() -> w.append(5, new float[]{0, 1})).hasMessageContaining("ascend");
        }
        assertThat(Files.list(tmp)).as("an unfinished writer leaves nothing behind").isEmpty();
    }

    @Test
    void compactCodesOverMappedVectorsReturnWhatTheyReturnOverTheHeap() throws Exception {
        EmbeddingMatrix small = SyntheticVectors.clustered(3_000, DIM, 20, 0.7, 8);
        Path heapDir = tmp.resolve("heap");
        Path mappedDir = tmp.resolve("mapped");
        float[][] queries = SyntheticVectors.queriesNear(small, 25, 0.5, 4);
        MappedVectorFile.write(mappedDir.resolve(MappedVectors.BASE_FILE), small);
        try (AdaptiveIndex heap = AdaptiveIndex.open(ExactIndex.of(small, pool), heapDir, "m", pool, 10_000);
             AdaptiveIndex mapped = AdaptiveIndex.open(MappedVectors.open(mappedDir, DIM, pool), mappedDir, "m",
                     pool, 10_000)) {
            assertThat(heap.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(mapped.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(mapped.kind()).isEqualTo("ivfpq");
            for (float[] q : queries) {
                // same training sample, same codes, same re-rank: the same answer, whichever tier holds the floats
                assertThat(mapped.search(q, 10)).isEqualTo(heap.search(q, 10));
            }
            assertThat(mapped.codeBytesHeldPerPhoto()).isLessThanOrEqualTo(12 + 8 + 43 + 12 * 0.5);
        }
    }

    @Test
    void trainingFromRowsEqualsTrainingFromAMatrix() {
        EmbeddingMatrix small = SyntheticVectors.clustered(2_000, DIM, 20, 0.7, 9);
        PqConfig cfg = IndexFactory.config("ivfpq", 64, 0, 0, 10, small.rows());
        PqIndex a = PqIndex.train(small, cfg, pool, null);
        PqIndex b = PqIndex.train(VectorRows.of(small), cfg, pool, null);
        for (float[] q : SyntheticVectors.queriesNear(small, 10, 0.5, 2)) {
            List<ScoredId> ra = a.search(q, 20);
            assertThat(b.search(q, 20)).isEqualTo(ra);
        }
    }

    @Test
    void aBatchAddIsJournaledLikeSingleAddsAndABadVectorWritesNothing() throws IOException {
        Random r = new Random(5);
        float[] a = VectorMath.normalise(SyntheticVectors.queriesNear(data, 1, 0.5, 7)[0]);
        float[] b = VectorMath.normalise(SyntheticVectors.queriesNear(data, 1, 0.5, 8)[0]);
        try (MappedVectors mapped = create(data)) {
            mapped.addBatch(List.of(900_001L, 900_002L), List.of(a, b));
            float[] bad = new float[DIM];
            bad[r.nextInt(DIM)] = Float.POSITIVE_INFINITY;
            assertThatThrownBy(() -> mapped.addBatch(List.of(900_003L, 900_004L), List.of(a, bad)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("image 900004");
            assertThat(mapped.contains(900_003L)).isFalse();
        }
        try (MappedVectors reopened = MappedVectors.open(tmp, DIM, pool)) {
            assertThat(reopened.size()).isEqualTo(data.ids().length + 2);
            assertThat(reopened.vector(900_001L)).containsExactly(a);
            assertThat(reopened.vector(900_002L)).containsExactly(b);
            assertThat(reopened.contains(900_003L)).isFalse();
        }
    }
}
