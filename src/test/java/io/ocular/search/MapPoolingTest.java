package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MapPoolingTest {

    private static float[] randomMap(int channels, int cells, long seed) {
        Random rnd = new Random(seed);
        float[] m = new float[channels * cells];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextFloat() < 0.3f ? 0f : rnd.nextFloat() * 6f;   // ReLU6-like, with zeros
        }
        return m;
    }

    @Test
    void withoutAttentionAndPOneItIsTheNormalisedAverage() {
        int c = 7;
        int n = 5;
        float[] map = randomMap(c, n, 1);
        float[] pooled = new MapPooling(c, 1f, new float[c]).pool(map, n);
        float[] avg = new float[c];
        double norm = 0;
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n; i++) {
                avg[ch] += map[ch * n + i] / n;
            }
            norm += avg[ch] * avg[ch];
        }
        for (int ch = 0; ch < c; ch++) {
            assertThat(pooled[ch]).isCloseTo((float) (avg[ch] / Math.sqrt(norm)), within(1e-4f));
        }
    }

    @Test
    void largePApproachesMaxPoolingAndAttentionCanSelectACell() {
        int c = 3;
        int n = 4;
        float[] map = {1, 2, 3, 4, 4, 3, 2, 1, 0, 0, 5, 0};
        float[] gem = new MapPooling(c, 60f, new float[c]).pool(map, n);
        // max per channel (4, 4, 5), normalised
        double norm = Math.sqrt(16 + 16 + 25);
        assertThat(gem[0]).isCloseTo((float) (4 / norm), within(0.03f));
        assertThat(gem[2]).isCloseTo((float) (5 / norm), within(0.03f));
        // attention on channel 2 picks cell 2 (value 5) almost alone
        float[] att = {0, 0, 10};
        float[] sel = new MapPooling(c, 1f, att).pool(map, n);
        double n2 = Math.sqrt(9 + 4 + 25);
        assertThat(sel[0]).isCloseTo((float) (3 / n2), within(1e-3f));
        assertThat(sel[1]).isCloseTo((float) (2 / n2), within(1e-3f));
    }

    @Test
    void pBelowOneIsUsedAsOneAndBadInputIsRefused() {
        MapPooling low = new MapPooling(2, 0.2f, new float[2]);
        assertThat(low.effectiveP()).isEqualTo(1f);
        assertThatThrownBy(() -> low.pool(new float[5], 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 2");
        assertThatThrownBy(() -> new MapPooling(2, Float.NaN, new float[2])).hasMessageContaining("retrain");
        assertThatThrownBy(() -> new MapPooling(2, 3f, new float[]{0, Float.POSITIVE_INFINITY}))
                .hasMessageContaining("retrain");
        assertThatThrownBy(() -> new MapPooling(3, 3f, new float[2])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void byteQuantisationKeepsReluSixValuesWithinHalfAStep() {
        float[] map = randomMap(16, 9, 3);
        map[0] = 7f;    // above ReLU6's bound: clamped
        map[1] = -1f;   // below: clamped
        float[] back = MapPooling.dequantise(MapPooling.quantise(map));
        assertThat(back[0]).isEqualTo(6f);
        assertThat(back[1]).isZero();
        for (int i = 2; i < map.length; i++) {
            assertThat(back[i]).isCloseTo(map[i], within(6f / 255 / 2 + 1e-6f));
        }
    }
}
