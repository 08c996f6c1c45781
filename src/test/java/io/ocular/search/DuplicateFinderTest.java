package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DuplicateFinderTest {

    static float[] unit(float... v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(n));
        }
        return out;
    }

    static EmbeddingMatrix matrix(long[] ids, float[][] rows) {
        int d = rows[0].length;
        float[] data = new float[ids.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, data, i * d, d);
        }
        return new EmbeddingMatrix("m", d, ids, data);
    }

    @Test
    void chainsJoinTransitivelyAndTheThresholdSplitsThem() {
        // 10 ~ 11 (0.99), 11 ~ 12 (0.96), 20 ~ 21 (0.98); 30 alone.
        List<DuplicateFinder.Pair> pairs = List.of(new DuplicateFinder.Pair(10, 11, 0.99f),
                new DuplicateFinder.Pair(11, 12, 0.96f), new DuplicateFinder.Pair(20, 21, 0.98f),
                new DuplicateFinder.Pair(12, 30, 0.85f));
        assertThat(DuplicateFinder.group(pairs, 0.95f)).containsExactly(
                new DuplicateFinder.Group(List.of(10L, 11L, 12L), 0.99f),
                new DuplicateFinder.Group(List.of(20L, 21L), 0.98f));
        assertThat(DuplicateFinder.group(pairs, 0.97f)).extracting(DuplicateFinder.Group::ids)
                .containsExactly(List.of(10L, 11L), List.of(20L, 21L));
        assertThat(DuplicateFinder.group(pairs, 0.8f)).extracting(DuplicateFinder.Group::ids)
                .containsExactly(List.of(10L, 11L, 12L, 30L), List.of(20L, 21L));
        assertThat(DuplicateFinder.group(pairs, 0.999f)).isEmpty();
    }

    @Test
    void pairsAboveMatchesABruteForceScanOfAllPairs() {
        Random rnd = new Random(7);
        int n = 60;
        int d = 8;
        long[] ids = new long[n];
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = 100 + (long) (n - i); // ids not in row order
            float[] v = new float[d];
            if (i % 5 != 0) {
                for (int k = 0; k < d; k++) {
                    v[k] = (float) rnd.nextGaussian();
                }
            } else {
                // a near copy of the previous row
                for (int k = 0; k < d; k++) {
                    v[k] = rows[Math.max(0, i - 1)] == null ? 1 : rows[i - 1][k] + (float) rnd.nextGaussian() * 0.01f;
                }
            }
            rows[i] = unit(v);
        }
        EmbeddingMatrix m = matrix(ids, rows);
        List<DuplicateFinder.Pair> got = DuplicateFinder.pairsAbove(m, 0.9f);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += (double) rows[i][k] * rows[j][k];
                }
                if (ids[i] < ids[j] && s >= 0.9) {
                    expected.add(ids[i] + "-" + ids[j]);
                }
            }
        }
        assertThat(got).extracting(p -> p.a() + "-" + p.b()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(11);
        for (int i = 1; i < got.size(); i++) {
            assertThat(got.get(i).similarity()).isLessThanOrEqualTo(got.get(i - 1).similarity());
        }
    }

    @Test
    void theBlockedScanOverRowsFindsExactlyTheMatrixScansPairsForEveryBlockSize() {
        Random rnd = new Random(11);
        int n = 97;
        int d = 6;
        long[] ids = new long[n];
        float[][] rows = new float[n][];
        for (int i = 0; i < n; i++) {
            ids[i] = 5000 - 7L * i;
            float[] v = new float[d];
            for (int k = 0; k < d; k++) {
                v[k] = i % 4 == 0 && i > 0 ? rows[i - 1][k] + (float) rnd.nextGaussian() * 0.02f : (float) rnd.nextGaussian();
            }
            rows[i] = unit(v);
        }
        EmbeddingMatrix m = matrix(ids, rows);
        List<DuplicateFinder.Pair> reference = DuplicateFinder.pairsAbove(m, 0.8f);
        assertThat(reference).hasSizeGreaterThanOrEqualTo(20);
        // blocks of 1 row, of a few rows (a last partial block), of more rows than there are, and the default
        for (int blockFloats : new int[] {d, 5 * d, 1000 * d, DuplicateFinder.BLOCK_FLOATS}) {
            assertThat(DuplicateFinder.pairsAbove(VectorRows.of(m), 0.8f, blockFloats)).as("block %d", blockFloats)
                    .isEqualTo(reference);
        }
        assertThat(DuplicateFinder.pairsAbove(VectorRows.of(new EmbeddingMatrix("m", 4, new long[0], new float[0])),
                0.5f)).isEmpty();
    }

    @Test
    void emptyAndSingleRowMatricesHaveNoPairs() {
        assertThat(DuplicateFinder.pairsAbove(new EmbeddingMatrix("m", 4, new long[0], new float[0]), 0.5f)).isEmpty();
        assertThat(DuplicateFinder.pairsAbove(matrix(new long[] {1}, new float[][] {unit(1, 0)}), 0.5f)).isEmpty();
        assertThat(DuplicateFinder.group(List.of(), 0.5f)).isEmpty();
    }
}
