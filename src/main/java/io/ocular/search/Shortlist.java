package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.Arrays;
import java.util.List;

/**
 * The first pass's candidates: ids with their approximate scores, in no particular order (the exact re-rank
 * scores them again, so ordering them, or boxing them into a {@code List<ScoredId>}, would be wasted work). The
 * members are exactly the first {@code count} of a full sort by (score descending, id ascending), as
 * {@link TopK} keeps them.
 */
final class Shortlist {
    final long[] ids;
    final float[] scores;
    final int size;

    Shortlist(long[] ids, float[] scores, int size) {
        this.ids = ids;
        this.scores = scores;
        this.size = size;
    }

    /** The kept entries of {@code top} (unordered). */
    static Shortlist of(TopK top) {
        return top.shortlist();
    }

    /** The members, best first (as {@link TopK#toList}). */
    List<ScoredId> toList() {
        ScoredId[] out = new ScoredId[size];
        for (int i = 0; i < size; i++) {
            out[i] = new ScoredId(ids[i], scores[i]);
        }
        Arrays.sort(out, TopK.BEST_FIRST);
        return List.of(out);
    }

    /**
     * The {@code k}-th largest of {@code a[0..n)} (1 ≤ k ≤ n; no NaN), found by quickselect on a copy in
     * {@code work} (at least n long) in expected linear time; a range that partitions badly is sorted instead, so
     * the worst case stays O(n log n). {@link #kthLargestReference} sorts.
     */
    static float kthLargest(float[] a, int n, int k, float[] work) {
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k must be in 1.." + n + ": " + k);
        }
        System.arraycopy(a, 0, work, 0, n);
        int target = n - k; // index of the answer in ascending order
        int lo = 0;
        int hi = n - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(n)) + 8;
        while (lo < hi) {
            if (budget-- == 0) {
                Arrays.sort(work, lo, hi + 1);
                return work[target];
            }
            int mid = (lo + hi) >>> 1;
            float pivot = median(work[lo], work[mid], work[hi]);
            // three-way partition: [lo, lt) < pivot, [lt, gt] == pivot, (gt, hi] > pivot
            int lt = lo;
            int gt = hi;
            int i = lo;
            while (i <= gt) {
                float x = work[i];
                if (x < pivot) {
                    work[i++] = work[lt];
                    work[lt++] = x;
                } else if (x > pivot) {
                    work[i] = work[gt];
                    work[gt--] = x;
                } else {
                    i++;
                }
            }
            if (target < lt) {
                hi = lt - 1;
            } else if (target > gt) {
                lo = gt + 1;
            } else {
                return pivot;
            }
        }
        return work[target];
    }

    private static float median(float a, float b, float c) {
        return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    }

    /** Reference for {@link #kthLargest}: a full sort. */
    static float kthLargestReference(float[] a, int n, int k) {
        float[] s = Arrays.copyOf(a, n);
        Arrays.sort(s);
        return s[n - k];
    }
}
