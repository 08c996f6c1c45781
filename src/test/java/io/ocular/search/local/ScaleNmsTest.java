package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScaleNmsTest {

    @Test
    void theSameSpotOnAnotherLevelIsSuppressedButSameLevelNeighboursAreNot() {
        // features 0..2 on level scale 1 (cells 16 px apart); 3 is feature 0's spot on level 0.5 (32 px cells)
        float[] x = {8, 24, 200, 10};
        float[] y = {8, 8, 8, 10};
        float[] s = {1, 1, 1, 0.5f};
        float[] n = {1, 1, 1, 1};
        DenseLocalFeatures f = new DenseLocalFeatures(400, 300, 1, x, y, s, n, new float[4], new float[0]);
        float[] scores = {0.9f, 0.5f, 0.4f, 0.8f};
        assertThat(ScaleNms.select(f, scores, 4, 1f)).containsExactly(0, 1, 2);
        assertThat(ScaleNms.select(f, scores, 2, 1f)).containsExactly(0, 1);
        assertThat(ScaleNms.select(f, scores, 4, 0f)).containsExactly(0, 3, 1, 2); // off: plain top N
    }
}
