package io.ocular.search.train;

import java.util.Arrays;

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

    /**
     * The album cycle of the cross-video paper: for photo {@code i} in album A and every other album B, {@code j}
     * = i's nearest neighbour in B, and {@code back} = j's nearest neighbour in A; the cycle is consistent when
     * {@code back} is {@code i} or one of i's {@code closeK} nearest album-mates ("returns close to i"). Of the
     * consistent albums, the {@code j} most similar to i is the partner.
     *
     * @param closeK how far from i the cycle may land (0: only on i itself)
     * @return partner index per photo, or -1
     */
    public static int[] findClose(float[][] features, int[] groups, int closeK) {
        int n = features.length;
        if (groups.length != n) {
            throw new IllegalArgumentException("one group per photo");
        }
        if (closeK < 0) {
            throw new IllegalArgumentException("closeK must be 0 or more");
        }
        int g = 0;
        for (int x : groups) {
            if (x < 0) {
                throw new IllegalArgumentException("group ids must be 0 or more");
            }
            g = Math.max(g, x + 1);
        }
        // nearest photo of every group, per photo (itself excluded), and its similarity
        int[][] nn = new int[n][g];
        float[][] nnSim = new float[n][g];
        float[][] sims = new float[n][];
        for (int i = 0; i < n; i++) {
            Arrays.fill(nn[i], -1);
            Arrays.fill(nnSim[i], Float.NEGATIVE_INFINITY);
            sims[i] = new float[n];
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                float s = dot(features[i], features[j]);
                sims[i][j] = s;
                int gj = groups[j];
                if (s > nnSim[i][gj]) {
                    nnSim[i][gj] = s;
                    nn[i][gj] = j;
                }
            }
        }
        int[] partner = new int[n];
        for (int i = 0; i < n; i++) {
            partner[i] = -1;
            float best = Float.NEGATIVE_INFINITY;
            int a = groups[i];
            for (int b = 0; b < g; b++) {
                int j = b == a ? -1 : nn[i][b];
                if (j < 0) {
                    continue;
                }
                int back = i;
                float backSim = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {   // j's nearest in A, i included
                    if (groups[k] == a && sims[j][k] > backSim && k != j) {
                        backSim = sims[j][k];
                        back = k;
                    }
                }
                if (closesAt(sims[i], groups, a, i, back, closeK) && nnSim[i][b] > best) {
                    best = nnSim[i][b];
                    partner[i] = j;
                }
            }
        }
        return partner;
    }

    /** Whether {@code back} is {@code i} or among i's {@code closeK} most similar photos of album {@code a}. */
    private static boolean closesAt(float[] simsOfI, int[] groups, int a, int i, int back, int closeK) {
        if (back == i) {
            return true;
        }
        if (closeK == 0) {
            return false;
        }
        float s = simsOfI[back];
        int closer = 0;
        for (int k = 0; k < simsOfI.length; k++) {
            if (k != i && k != back && groups[k] == a && simsOfI[k] > s) {
                closer++;
            }
        }
        return closer < closeK;
    }

    private static float dot(float[] q, float[] v) {
        float s = 0;
        for (int d = 0; d < q.length; d++) {
            s += q[d] * v[d];
        }
        return s;
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
