package io.ocular.search.train;

/**
 * Cycle-consistent positives across "videos" (Wu &amp; Wang, "Contrastive Learning of Image Representations
 * with Cross-Video Cycle-Consistency", ICCV 2021), with a photo folder or burst playing the video: photo
 * {@code i} in folder A takes its nearest neighbour {@code j} among photos of OTHER folders; {@code j} is kept
 * as a positive of {@code i} only when {@code j}'s own nearest neighbour outside {@code j}'s folder lies back in
 * folder A (the cycle closes). Plain Java over the frozen features; no DJL needed.
 */
public final class CyclePositives {
    private CyclePositives() {
    }

    /**
     * @param features one L2-normalised feature per photo
     * @param groups   folder (or burst) id per photo
     * @return partner index per photo, or -1 when the cycle does not close or there is no other folder
     */
    public static int[] find(float[][] features, int[] groups) {
        int n = features.length;
        if (groups.length != n) {
            throw new IllegalArgumentException("one group per photo");
        }
        int[] nn = new int[n];
        for (int i = 0; i < n; i++) {
            nn[i] = nearestOutsideGroup(features, groups, i);
        }
        int[] partner = new int[n];
        for (int i = 0; i < n; i++) {
            int j = nn[i];
            partner[i] = j >= 0 && nn[j] >= 0 && groups[nn[j]] == groups[i] ? j : -1;
        }
        return partner;
    }

    private static int nearestOutsideGroup(float[][] f, int[] groups, int i) {
        int best = -1;
        float bestSim = Float.NEGATIVE_INFINITY;
        float[] q = f[i];
        for (int j = 0; j < f.length; j++) {
            if (groups[j] == groups[i]) {
                continue;
            }
            float[] v = f[j];
            float s = 0;
            for (int d = 0; d < q.length; d++) {
                s += q[d] * v[d];
            }
            if (s > bestSim) {
                bestSim = s;
                best = j;
            }
        }
        return best;
    }
}
