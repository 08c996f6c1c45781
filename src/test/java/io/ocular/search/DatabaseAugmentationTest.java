package io.ocular.search;

import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class DatabaseAugmentationTest {

    private static float[] unit(Random r, int d) {
        float[] v = new float[d];
        for (int i = 0; i < d; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return normalize(v);
    }

    private static float[] normalize(float[] v) {
        float n = (float) Math.sqrt(VectorMath.dot(v, v));
        for (int i = 0; i < v.length; i++) {
            v[i] /= n;
        }
        return v;
    }

    /** Reference: augment every vector explicitly (plain loops), search them by dot product. */
    private static List<ScoredId> reference(long[] ids, float[][] x, float[] q, int k, float alpha) {
        List<ScoredId> out = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            List<ScoredId> sims = new ArrayList<>();
            for (int j = 0; j < x.length; j++) {
                if (j != i) {
                    sims.add(new ScoredId(j, VectorMath.dot(x[i], x[j])));
                }
            }
            sims.sort(TopK.BEST_FIRST);
            float[] aug = x[i].clone();
            for (ScoredId s : sims.subList(0, k)) {
                float w = (float) Math.pow(Math.max(0, s.score()), alpha);
                for (int d = 0; d < aug.length; d++) {
                    aug[d] += w * x[(int) s.id()][d];
                }
            }
            normalize(aug);
            out.add(new ScoredId(ids[i], VectorMath.dot(q, aug)));
        }
        out.sort(TopK.BEST_FIRST);
        return out;
    }

    @Test
    void rescoringAShortListEqualsSearchingTheAugmentedVectors() {
        Random r = new Random(7);
        int n = 60;
        long[] ids = new long[n];
        float[][] x = new float[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            // pairs of near-duplicates, so neighbours matter
            x[i] = i % 2 == 1 ? near(x[i - 1], r) : unit(r, 16);
        }
        float[] q = unit(r, 16);
        for (int k : new int[]{1, 2}) {
            DatabaseAugmentation dba = DatabaseAugmentation.build(ids, x, k, 3f);
            List<ScoredId> first = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                first.add(new ScoredId(i, VectorMath.dot(q, x[i])));
            }
            first.sort(TopK.BEST_FIRST);
            List<ScoredId> shortList = first.subList(0, 20); // neighbours outside it are scored on demand
            List<ScoredId> got = dba.rescore(shortList,
                    DatabaseAugmentation.bestViewScore(new float[][]{q}, 0f, id -> x[(int) (long) id]));
            List<ScoredId> want = reference(ids, x, q, k, 3f).stream()
                    .filter(s -> shortList.stream().anyMatch(t -> t.id() == s.id())).toList();
            assertThat(got).extracting(ScoredId::id).containsExactlyElementsOf(
                    want.stream().map(ScoredId::id).toList());
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).score()).isCloseTo(want.get(i).score(), within(1e-5f));
            }
        }
    }

    @Test
    void neighboursSearchedAtQueryTimeForTheShortListEqualTheFullBuild() {
        Random r = new Random(11);
        int n = 80;
        long[] ids = new long[n];
        float[][] x = new float[n][];
        ExactIndex index = new ExactIndex(16, new ScanPool(1));
        for (int i = 0; i < n; i++) {
            ids[i] = 100 + i;
            x[i] = i % 3 != 0 ? near(x[i - 1], r) : unit(r, 16);
            index.add(ids[i], x[i]);
        }
        float[] q = near(x[30], r);
        List<ScoredId> first = index.search(q, n);
        for (int k : new int[]{1, 2}) {
            DatabaseAugmentation full = DatabaseAugmentation.build(ids, x, k, 3f);
            LongFunction<float[]> vec = id -> x[(int) (id - 100)];
            var score = DatabaseAugmentation.bestViewScore(new float[][]{q}, 0f, vec);
            List<ScoredId> head = first.subList(0, 25);
            List<ScoredId> want = full.rescore(head, score);
            List<ScoredId> got = DatabaseAugmentation.rescoreHead(first, 25, vec, index::search, k, 3f, score);
            assertThat(got).hasSize(n);
            assertThat(got.subList(0, 25)).extracting(ScoredId::id)
                    .containsExactlyElementsOf(want.stream().map(ScoredId::id).toList());
            for (int i = 0; i < 25; i++) {
                assertThat(got.get(i).score()).isCloseTo(want.get(i).score(), within(1e-5f));
            }
            // the rest follows in first-pass order, untouched
            assertThat(got.subList(25, n)).containsExactlyElementsOf(first.subList(25, n));
            // and it is what searching the explicitly augmented vectors gives for those photos
            List<ScoredId> explicit = reference(ids, x, q, k, 3f).stream()
                    .filter(s -> head.stream().anyMatch(t -> t.id() == s.id())).toList();
            assertThat(got.subList(0, 25)).extracting(ScoredId::id)
                    .containsExactlyElementsOf(explicit.stream().map(ScoredId::id).toList());
        }
    }

    @Test
    void aPhotoWithoutAStoredVectorKeepsItsScore() {
        float[][] x = {{1, 0}, {0.8f, 0.6f}, {0.6f, 0.8f}};
        ExactIndex index = new ExactIndex(2, new ScanPool(1));
        for (int i = 0; i < x.length; i++) {
            index.add(i, x[i]);
        }
        List<ScoredId> first = List.of(new ScoredId(1, 0.8f), new ScoredId(2, 0.6f));
        List<ScoredId> got = DatabaseAugmentation.rescoreHead(first, 10, id -> id == 1 ? null : x[(int) id],
                index::search, 1, 0f, id -> VectorMath.dot(x[0], x[(int) (long) id]));
        // 1 has no vector (removed meanwhile): kept as it is; 2's nearest photo is 1, so it has no usable neighbour
        assertThat(got).extracting(ScoredId::id).containsExactly(1L, 2L);
        assertThat(got.get(0).score()).isEqualTo(0.8f);
        assertThat(got.get(1).score()).isCloseTo(0.6f, within(1e-6f));
        // with its vector back, 1 joins its nearest photo 2 ((0.8 + 0.96^0 * 0.6) / |x1 + x2|)
        List<ScoredId> back = DatabaseAugmentation.rescoreHead(first, 10, id -> x[(int) id], index::search, 1, 0f,
                id -> VectorMath.dot(x[0], x[(int) (long) id]));
        float norm = (float) Math.sqrt(1.4 * 1.4 + 1.4 * 1.4);
        assertThat(back.stream().filter(h -> h.id() == 1).findFirst().orElseThrow().score())
                .isCloseTo(1.4f / norm, within(1e-5f));
    }

    @Test
    void aPhotoWhoseNeighbourIsTheQueryMovesUp() {
        // 10 is the query (it is in the library); 11's nearest neighbour is 10, 12's is its near-copy 13
        float[][] x = {{1, 0, 0}, {0.6f, 0.8f, 0}, {0.62f, 0, 0.785f}, {0.5f, 0, 0.866f}};
        DatabaseAugmentation dba = DatabaseAugmentation.build(new long[]{10, 11, 12, 13}, x, 1, 0f);
        List<ScoredId> first = List.of(new ScoredId(12, 0.62f), new ScoredId(11, 0.6f));
        List<ScoredId> got = dba.rescore(first, id -> VectorMath.dot(x[0], x[(int) (id - 10)]));
        assertThat(got).extracting(ScoredId::id).containsExactly(11L, 12L);
        assertThat(got.get(0).score()).isCloseTo(1.6f / (float) Math.sqrt(1.6 * 1.6 + 0.8 * 0.8), within(1e-4f));
    }

    @Test
    void rejectsNonsense() {
        float[][] x = {{1, 0}, {0, 1}};
        assertThatThrownBy(() -> DatabaseAugmentation.build(new long[]{1, 2}, x, 0, 3f))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DatabaseAugmentation.build(new long[]{1, 2}, x, 1, Float.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] near(float[] v, Random r) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += 0.3f * (float) r.nextGaussian();
        }
        return normalize(out);
    }
}
