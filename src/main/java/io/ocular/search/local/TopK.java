package io.ocular.search.local;

import java.util.Arrays;

/** Top-k index selection. */
final class TopK {
    private TopK() {
    }

    /** Indices of the {@code k} largest values, largest first (ties: lower index first). */
    static int[] indicesOfLargest(float[] values, int k) {
        int n = values.length;
        int m = Math.min(k, n);
        if (m <= 0) {
            return new int[0];
        }
        // sort (value, index) pairs packed in longs: n is a few thousand, sorting is cheaper than it sounds
        long[] packed = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(values[i]);
            int key = bits >= 0 ? bits : bits ^ 0x7FFFFFFF; // order-preserving int for floats
            packed[i] = ((long) ~key << 32) | (i & 0xFFFFFFFFL); // descending value, ascending index
        }
        Arrays.sort(packed);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = (int) packed[i];
        }
        return out;
    }
}
