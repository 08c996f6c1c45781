package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;

import java.util.Arrays;

/**
 * Non-maximum suppression across pyramid levels: the dense features of the levels overlap (the same spot of
 * the photo seen at four scales), so taking the top N by score alone spends the budget on a few strong spots
 * several times over, and mutual matching can use only one of each. Greedy, best score first: a feature is
 * kept unless a kept one lies closer than {@code radius} × its own cell size (16 input pixels at its scale,
 * in original pixels). With radius ≤ 1 neighbours on the same level never suppress each other.
 */
public final class ScaleNms {
    private ScaleNms() {
    }

    /**
     * @param scores one score per feature (higher is better)
     * @param radius suppression radius in cells of the feature's own level (0 = off: plain top N)
     * @return indices of at most {@code max} kept features, best first
     */
    public static int[] select(DenseLocalFeatures f, float[] scores, int max, float radius) {
        if (radius <= 0) {
            return TopK.indicesOfLargest(scores, max);
        }
        int[] order = TopK.indicesOfLargest(scores, scores.length);
        int[] kept = new int[Math.min(max, order.length)];
        float[] kx = new float[kept.length];
        float[] ky = new float[kept.length];
        int n = 0;
        for (int i = 0; i < order.length && n < kept.length; i++) {
            int c = order[i];
            float r = radius * 16f / f.scale()[c];
            float r2 = r * r;
            float x = f.x()[c];
            float y = f.y()[c];
            boolean suppressed = false;
            for (int j = 0; j < n; j++) {
                float dx = kx[j] - x;
                float dy = ky[j] - y;
                if (dx * dx + dy * dy < r2) {
                    suppressed = true;
                    break;
                }
            }
            if (!suppressed) {
                kept[n] = c;
                kx[n] = x;
                ky[n] = y;
                n++;
            }
        }
        return Arrays.copyOf(kept, n);
    }
}
