package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

/**
 * The duplicate scan through the compact codes (n neighbour searches) against the exact all-pairs scan, on a
 * library above the index's size threshold with planted copies: the same pairs, the same groups.
 */
class IndexedDuplicatesTest {
    private static final int DIM = 64;
    private static final float FLOOR = 0.80f;
    @RegisterExtension
    static final ScanPoolExtension POOL = new ScanPoolExtension(2);
    private static final ScanPool pool = POOL.pool();
    private static EmbeddingMatrix data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        data = withCopies(6_000, 7);
    }

    /**
     * {@code n} photos: a clustered library, and for every tenth photo one to four copies at cosine 0.83–0.99
     * (re-saved, cropped, edited), plus one burst of 40 shots of one scene.
     */
    private static EmbeddingMatrix withCopies(int n, long seed) {
        EmbeddingMatrix base = SyntheticVectors.clustered(n, DIM, 30, 0.9, seed);
        Random r = new Random(seed + 1);
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(base.row(i));
        }
        for (int i = 0; i < n; i += 10) {
            int copies = 1 + r.nextInt(4);
            for (int c = 0; c < copies; c++) {
                rows.add(near(base.row(i), 0.02 + 0.2 * r.nextDouble(), r));
            }
        }
        for (int c = 0; c < 40; c++) {
            rows.add(near(base.row(1), 0.05, r));
        }
        long[] ids = new long[rows.size()];
        float[] flat = new float[rows.size() * DIM];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = 1_000 + 3L * i;
            System.arraycopy(rows.get(i), 0, flat, i * DIM, DIM);
        }
        return new EmbeddingMatrix("m", DIM, ids, flat);
    }

    private static float[] near(float[] v, double noise, Random r) {
        float[] out = new float[v.length];
        for (int d = 0; d < v.length; d++) {
            out[d] = (float) (v[d] + noise * r.nextGaussian() / Math.sqrt(v.length));
        }
        return VectorMath.normalise(out);
    }

    private AdaptiveIndex compact() throws InterruptedException {
        AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool, 0);
        assertThat(a.awaitIdle(Duration.ofMinutes(2))).isTrue();
        assertThat(a.kind()).isEqualTo("ivfpq");
        return a;
    }

    private static Map<String, Float> byPair(List<DuplicateFinder.Pair> pairs) {
        Map<String, Float> m = new HashMap<>();
        for (DuplicateFinder.Pair p : pairs) {
            m.put(p.a() + "-" + p.b(), p.similarity());
        }
        return m;
    }

    @Test
    void theIndexedScanFindsExactlyThePairsOfTheExactScan() throws Exception {
        List<DuplicateFinder.Pair> exact = DuplicateFinder.pairsAbove(data, FLOOR);
        assertThat(exact.size()).as("planted copies and the burst").isGreaterThan(1_000);
        try (AdaptiveIndex a = compact()) {
            List<DuplicateFinder.Pair> indexed = DuplicateFinder.pairsAbove(VectorRows.of(data), FLOOR,
                    a.neighbours(), 64);
            Map<String, Float> want = byPair(exact);
            Map<String, Float> got = byPair(indexed);
            assertThat(got.keySet()).isEqualTo(want.keySet());
            for (Map.Entry<String, Float> e : want.entrySet()) {
                assertThat(got.get(e.getKey())).as(e.getKey()).isCloseTo(e.getValue(),
                        offset(1e-5f));
            }
            assertThat(DuplicateFinder.pairsAbove(VectorRows.of(data), FLOOR, a.neighbours(), 64, 1))
                    .as("one thread or several: the same pairs").isEqualTo(indexed);
            for (float t : new float[]{0.85f, 0.95f}) {
                assertThat(DuplicateFinder.group(indexed, t).stream().map(DuplicateFinder.Group::ids).toList())
                        .as("groups at " + t)
                        .isEqualTo(DuplicateFinder.group(exact, t).stream().map(DuplicateFinder.Group::ids).toList());
            }
        }
    }

    @Test
    void aBurstLargerThanTheCapStillFormsOneGroup() throws Exception {
        try (AdaptiveIndex a = compact()) {
            List<DuplicateFinder.Pair> capped = DuplicateFinder.pairsAbove(VectorRows.of(data), 0.97f,
                    a.neighbours(), 8);
            List<DuplicateFinder.Pair> exact = DuplicateFinder.pairsAbove(data, 0.97f);
            assertThat(capped.size()).isLessThan(exact.size());
            List<DuplicateFinder.Group> want = DuplicateFinder.group(exact, 0.97f);
            assertThat(want.get(0).ids()).hasSizeGreaterThanOrEqualTo(40);
            assertThat(DuplicateFinder.group(capped, 0.97f).get(0).ids()).isEqualTo(want.get(0).ids());
        }
    }

    @Test
    void withoutCompactCodesThereAreNoNeighboursAndTheCapMustBePositive() throws Exception {
        try (AdaptiveIndex a = AdaptiveIndex.open(ExactIndex.of(data, pool), tmp, "m", pool)) {
            assertThat(a.neighbours()).as("below the size threshold: the exact scan").isNull();
        }
        assertThatThrownBy(() -> DuplicateFinder.pairsAbove(VectorRows.of(data), FLOOR, (v, k) -> List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
