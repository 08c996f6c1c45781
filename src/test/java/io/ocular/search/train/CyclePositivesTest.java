package io.ocular.search.train;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CyclePositivesTest {

    @Test
    void keepsANeighbourOnlyWhenTheCycleComesBackToTheSameFolder() {
        // folder 0: a0 (1,0)     a1 (0,1)
        // folder 1: b0 (0.99,0.14) -> nearest outside folder 1 is a0: cycle a0 -> b0 -> a0 closes
        // folder 2: c0 (0,-1)      -> nearest outside is ... a0/a1/b0 region; c0's nearest is a0 or b0
        float[][] f = {
                {1f, 0f}, {0f, 1f},
                {0.99f, 0.141f},
                {0.6f, -0.8f}};
        int[] groups = {0, 0, 1, 2};
        int[] partner = CyclePositives.find(f, groups);
        assertThat(partner[0]).isEqualTo(2);   // a0 -> b0 -> a0
        assertThat(partner[2]).isEqualTo(0);   // b0 -> a0 -> b0
        // a1's nearest outside folder 0 is b0, but b0's nearest outside folder 1 is a0, in folder 0: closes
        assertThat(partner[1]).isEqualTo(2);
        // c0's nearest outside folder 2 is a0, whose nearest outside folder 0 is b0 (folder 1), not folder 2
        assertThat(partner[3]).isEqualTo(-1);
    }

    @Test
    void aSingleFolderHasNoPartners() {
        int[] partner = CyclePositives.find(new float[][]{{1f, 0f}, {0f, 1f}}, new int[]{3, 3});
        assertThat(partner).containsExactly(-1, -1);
    }
}
