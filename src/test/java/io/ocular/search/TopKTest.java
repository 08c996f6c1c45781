package io.ocular.search;

import io.ocular.model.ScoredId;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TopKTest {

    @Test
    void heapSelectionEqualsFullSortOnRandomDataIncludingTies() {
        Random r = new Random(11);
        for (int trial = 0; trial < 300; trial++) {
            int n = r.nextInt(2000);
            int k = r.nextInt(60);
            long[] ids = new long[n];
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                ids[i] = r.nextInt(1_000_000);
                // Few distinct values on some trials, so ties are common.
                scores[i] = trial % 3 == 0 ? r.nextInt(5) : (float) r.nextGaussian();
            }
            TopK top = new TopK(k);
            for (int i = 0; i < n; i++) {
                top.offer(ids[i], scores[i]);
            }
            assertThat(top.toList()).isEqualTo(TopK.reference(ids, scores, k));
        }
    }

    @Test
    void mergingPartialHeapsEqualsOneHeap() {
        Random r = new Random(12);
        int n = 5000;
        long[] ids = new long[n];
        float[] scores = new float[n];
        TopK[] parts = {new TopK(25), new TopK(25), new TopK(25)};
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            scores[i] = (float) r.nextGaussian();
            parts[i % 3].offer(i, scores[i]);
        }
        TopK merged = new TopK(25);
        for (TopK p : parts) {
            merged.merge(p);
        }
        assertThat(merged.toList()).isEqualTo(TopK.reference(ids, scores, 25));
    }

    @Test
    void thresholdAndEdgeCases() {
        TopK top = new TopK(2);
        assertThat(top.threshold()).isEqualTo(Float.NEGATIVE_INFINITY);
        top.offer(1, 0.5f);
        top.offer(2, 0.9f);
        assertThat(top.threshold()).isEqualTo(0.5f);
        assertThat(top.offer(3, Float.NaN)).isFalse();
        assertThat(top.offer(4, 0.1f)).isFalse();
        assertThat(top.toList()).containsExactly(new ScoredId(2, 0.9f), new ScoredId(1, 0.5f));
        assertThat(new TopK(0).toList()).isEqualTo(List.of());
    }
}
