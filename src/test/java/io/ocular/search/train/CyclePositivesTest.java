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

    @Test
    void theAlbumCycleMustReturnCloseToThePhotoNotJustToItsAlbum() {
        // album 0: a0 (1,0), a1 (0.8,0.6), a2 (0,1)     album 1: b0 (0.96,0.28), b1 (-0.6,0.8)
        float[][] f = {
                {1f, 0f}, {0.8f, 0.6f}, {0f, 1f},
                {0.96f, 0.28f}, {-0.6f, 0.8f}};
        int[] groups = {0, 0, 0, 1, 1};
        int[] strict = CyclePositives.findClose(f, groups, 0);
        // a0 -> b0 -> back to a0 (sim 0.96 vs a1 0.936): lands on a0 itself
        assertThat(strict[0]).isEqualTo(3);
        // a2 -> b1 (sim 0.8) -> b1's nearest in album 0 is a2 (0.8): closes on a2
        assertThat(strict[2]).isEqualTo(4);
        // a1 -> b0 (0.936) -> back to a0, not a1: only a loose cycle
        assertThat(strict[1]).isEqualTo(-1);
        int[] loose = CyclePositives.findClose(f, groups, 1);
        assertThat(loose[1]).as("a0 is a1's nearest album-mate").isEqualTo(3);
        // the folder rule accepts any landing in the album
        assertThat(CyclePositives.find(f, groups)[1]).isEqualTo(3);
        assertThat(CyclePositives.findClose(new float[][]{{1f, 0f}, {0f, 1f}}, new int[]{0, 0}, 3))
                .containsExactly(-1, -1);
    }
}
