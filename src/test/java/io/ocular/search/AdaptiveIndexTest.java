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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdaptiveIndexTest {
    private static final int DIM = 16;
    /** 2,000 × 16 = 32,000 floats: above this test threshold. */
    private static final long THRESHOLD = 20_000;
    @RegisterExtension
    static final ScanPoolExtension POOL = new ScanPoolExtension(2);
    private static final ScanPool pool = POOL.pool();
    private static EmbeddingMatrix data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        data = SyntheticVectors.clustered(2_000, DIM, 20, 0.7, 3);
    }

    private AdaptiveIndex open(String model) throws InterruptedException {
        AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, model, pool, THRESHOLD);
        assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
        return a;
    }

    @Test
    void belowTheThresholdItIsExactAndWritesNothing() throws Exception {
        try (AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool)) {
            assertThat(a.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(a.kind()).isEqualTo("exact");
            assertThat(a.describe()).isEqualTo("exact");
            assertThat(Files.list(tmp)).isEmpty();
        }
    }

    @Test
    void buildsCodesInTheBackgroundSavesThemAndLoadsThemAtTheNextOpen() throws Exception {
        float[][] queries = SyntheticVectors.queriesNear(data, 20, 0.5, 9);
        try (AdaptiveIndex a = open("m")) {
            assertThat(a.kind()).isEqualTo("ivfpq");
            assertThat(a.lastSource()).isEqualTo("built");
            assertThat(a.describe()).startsWith("ivfpq (8 B/photo");
            assertThat(tmp.resolve(PqIndexFiles.MODEL_FILE)).exists();
            assertThat(tmp.resolve(PqIndexFiles.CODES_FILE)).exists();
            assertThat(recall(a, a.exact(), queries)).isGreaterThan(0.8);
        }
        // the library changed while the app was closed: the loaded codes are brought in line
        ExactIndex grown = ExactIndex.of(data, pool);
        float[] extra = data.row(7).clone();
        grown.add(999_999L, extra);
        grown.remove(data.ids()[0]);
        try (AdaptiveIndex b = AdaptiveIndex.open(grown, tmp, "m", pool, THRESHOLD)) {
            assertThat(b.kind()).as("saved codes are loaded while opening").isEqualTo("ivfpq");
            assertThat(b.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(b.lastSource()).isEqualTo("loaded");
            assertThat(b.kind()).isEqualTo("ivfpq");
            assertThat(ids(b.search(extra, 2))).contains(999_999L);
            assertThat(ids(b.search(data.row(0), 5))).doesNotContain(data.ids()[0]);
        }
    }

    @Test
    void damagedTruncatedOrForeignCodesAreRebuiltWhileExactSearchServes() throws Exception {
        open("m").close();
        Path codes = tmp.resolve(PqIndexFiles.CODES_FILE);
        try (RandomAccessFile f = new RandomAccessFile(codes.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0xFF);
        }
        AdaptiveIndex damaged = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool, THRESHOLD);
        // until the rebuild is done, search answers exactly
        if (damaged.building()) {
            assertThat(damaged.search(data.row(3), 1).get(0).id()).isEqualTo(data.ids()[3]);
        }
        assertThat(damaged.awaitIdle(Duration.ofMinutes(2))).isTrue();
        assertThat(damaged.lastSource()).isEqualTo("built");
        assertThat(damaged.kind()).isEqualTo("ivfpq");
        damaged.close();

        // codes written by another format version (the int after the 8-byte magic)
        try (RandomAccessFile f = new RandomAccessFile(tmp.resolve(PqIndexFiles.CODES_FILE).toFile(), "rw")) {
            f.seek(8);
            int version = f.readInt();
            f.seek(8);
            f.writeInt(version + 1);
        }
        try (AdaptiveIndex otherVersion = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool, THRESHOLD)) {
            assertThat(otherVersion.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(otherVersion.lastSource()).isEqualTo("built");
        }

        truncate(tmp.resolve(PqIndexFiles.MODEL_FILE));
        try (AdaptiveIndex truncated = open("m")) {
            assertThat(truncated.lastSource()).isEqualTo("built");
        }
        try (AdaptiveIndex foreign = open("another-model")) {
            assertThat(foreign.lastSource()).isEqualTo("built");
        }
        try (AdaptiveIndex again = open("another-model")) {
            assertThat(again.lastSource()).isEqualTo("loaded");
        }
    }

    @Test
    void growingPastTheThresholdStartsTheCodesAndLaterChangesReachThem() throws Exception {
        ExactIndex exact = new ExactIndex(DIM, pool);
        for (int i = 0; i < 1_000; i++) { // 16,000 floats: exact only
            exact.add(data.ids()[i], data.row(i));
        }
        try (AdaptiveIndex a = AdaptiveIndex.open(exact, tmp, "m", pool, THRESHOLD)) {
            assertThat(a.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(a.kind()).isEqualTo("exact");
            for (int i = 1_000; i < 2_000; i++) {
                a.add(data.ids()[i], data.row(i));
            }
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.kind()).isEqualTo("ivfpq");
            assertThat(a.size()).isEqualTo(2_000);
            float[] v = data.row(1_500).clone();
            a.add(5_000_000L, v);
            assertThat(ids(a.search(v, 2))).contains(5_000_000L);
            assertThat(a.remove(5_000_000L)).isTrue();
            assertThat(ids(a.search(v, 2))).doesNotContain(5_000_000L);
        }
    }

    private static void truncate(Path p) throws IOException {
        byte[] b = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(b, b.length - 100));
    }

    private static List<Long> ids(List<ScoredId> r) {
        return r.stream().map(ScoredId::id).toList();
    }

    private static double recall(VectorIndex index, VectorIndex exact, float[][] queries) {
        double hits = 0;
        for (float[] q : queries) {
            List<Long> truth = ids(exact.search(q, 10));
            hits += index.search(q, 10).stream().filter(s -> truth.contains(s.id())).count();
        }
        return hits / (10.0 * queries.length);
    }

    @Test
    void aLongListReRanksAboutAsManyCandidatesAsTenResultsDo() {
        int r = 200;
        assertThat(AdaptiveIndex.rerankFactor(r, 1)).isEqualTo(r);
        assertThat(AdaptiveIndex.rerankFactor(r, 10)).isEqualTo(r);
        assertThat(AdaptiveIndex.rerankFactor(r, 19)).isEqualTo(106); // 2,014 candidates
        assertThat(AdaptiveIndex.rerankFactor(r, 100)).isEqualTo(20);
        assertThat(AdaptiveIndex.rerankFactor(r, 1_000)).isEqualTo(2); // the window: 2,000, not 200,000
        assertThat(AdaptiveIndex.rerankFactor(r, 1_009)).isEqualTo(2);
        assertThat(AdaptiveIndex.rerankFactor(r, 100_000)).isEqualTo(2);
        assertThat(AdaptiveIndex.rerankFactor(3, 1_000)).isEqualTo(2);
        assertThat(AdaptiveIndex.rerankFactor(1, 1_000)).isEqualTo(1);
    }

    @Test
    void withCodesTheHeadOfALongListIsTheShortSearchAndTheAugmentationUsesTheCheapNeighbours() throws Exception {
        float[][] queries = SyntheticVectors.queriesNear(data, 10, 0.5, 13);
        try (AdaptiveIndex a = open("m")) {
            assertThat(a.kind()).isEqualTo("ivfpq");
            for (float[] q : queries) {
                List<ScoredId> shortList = a.search(q, 10);
                assertThat(a.search(q, 1_000).subList(0, 10)).isEqualTo(shortList);
            }
            // "More like this" finds each short-listed photo's nearest with the duplicate scan's search
            DatabaseAugmentation.NeighbourSearch near = RotatingSearchService.neighbourSearch(a);
            for (int i = 0; i < 20; i++) {
                assertThat(near.nearest(data.row(i), 3)).isEqualTo(a.neighbours().near(data.row(i), 3));
            }
        }
        ExactIndex exact = ExactIndex.of(data, pool);
        assertThat(RotatingSearchService.neighbourSearch(exact).nearest(data.row(0), 3))
                .isEqualTo(exact.search(data.row(0), 3));
    }

    @Test
    void theUsersChoiceOverridesTheSizeThreshold() throws Exception {
        float[][] queries = SyntheticVectors.queriesNear(data, 5, 0.5, 12);
        // 2,000 small vectors: far below the threshold, so automatic means exact
        try (AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool, IndexChoice.COMPACT)) {
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.kind()).as("compact chosen: codes although the library is small").isEqualTo("ivfpq");
            assertThat(tmp.resolve(PqIndexFiles.CODES_FILE)).exists();

            a.choose(IndexChoice.EXACT);
            assertThat(a.kind()).isEqualTo("exact");
            assertThat(a.describe()).isEqualTo("exact (chosen in Settings)");
            for (float[] q : queries) {
                ExactIndexTest.assertSameRanking(a.search(q, 10), ExactIndex.of(data, pool).searchReference(q, 10));
            }

            a.choose(IndexChoice.AUTO);
            assertThat(a.kind()).as("automatic below the threshold").isEqualTo("exact");
            a.choose(IndexChoice.COMPACT);
            assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
            assertThat(a.kind()).isEqualTo("ivfpq");
        }
        try (AdaptiveIndex b = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool, IndexChoice.EXACT)) {
            assertThat(b.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(b.kind()).as("exact chosen: the saved codes are not used").isEqualTo("exact");
        }
        assertThat(IndexChoice.parse("compact")).isEqualTo(IndexChoice.COMPACT);
        assertThat(IndexChoice.parse("nonsense")).isEqualTo(IndexChoice.AUTO);
        assertThat(IndexChoice.parse(null)).isEqualTo(IndexChoice.AUTO);
    }
}
