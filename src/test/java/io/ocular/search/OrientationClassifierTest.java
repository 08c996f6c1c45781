package io.ocular.search;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OrientationClassifierTest {
    private static final int D = 12;

    /**
     * A photo stored {@code stored} quarter turns clockwise from upright, in its four turned views: random
     * content in dims 4.., and a weak "which way up" cue in dims 0..3 at (stored + view turn) % 4.
     */
    private static float[][] photo(Random r, int stored) {
        float[] content = new float[D];
        for (int j = 4; j < D; j++) {
            content[j] = (float) r.nextGaussian();
        }
        float[][] views = new float[4][];
        for (int t = 0; t < 4; t++) {
            float[] v = content.clone();
            for (int j = 4; j < D; j++) {
                v[j] += 0.3f * (float) r.nextGaussian(); // a turned photo is not the same vector
            }
            v[(stored + t) % 4] += 0.8f;
            views[t] = v;
        }
        return views;
    }

    @Test
    void learnsWhichWayUpWithoutLabelsFromAMostlyUprightLibraryAndIsEquivariant() {
        Random r = new Random(3);
        float[][][] library = new float[200][][];
        for (int i = 0; i < library.length; i++) {
            library[i] = photo(r, i % 10 == 0 ? 1 + r.nextInt(3) : 0); // 10 % sideways: label noise
        }
        OrientationClassifier c = OrientationClassifier.fit(library, 200, 1e-3f);
        int right = 0;
        for (int i = 0; i < 100; i++) {
            int stored = i % 4;
            float[][] views = photo(r, stored);
            int turns = c.uprightTurns(views);
            right += turns == (4 - stored) % 4 ? 1 : 0;
            // the same photo turned once more: its views shift by one, its correction by one
            float[][] shifted = {views[1], views[2], views[3], views[0]};
            assertThat(c.uprightTurns(shifted)).isEqualTo((turns + 3) % 4);
        }
        assertThat(right).as("photos turned upright").isGreaterThanOrEqualTo(95);
        double[] p = c.probabilities(photo(r, 2)[0]);
        assertThat(p[0] + p[1] + p[2] + p[3]).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void needsPhotosInFourTurns() {
        assertThatThrownBy(() -> OrientationClassifier.fit(new float[][][]{null, {{1f}}}, 10, 0f))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
