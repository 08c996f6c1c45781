package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Keeps the {@code k} best (id, score) pairs seen so far in a bounded binary min-heap over primitive
 * arrays (no boxing in the scan loop). Ties are broken by the smaller id, so the result is exactly the
 * first {@code k} of a full sort by (score descending, id ascending): see {@link #reference}.
 *
 * <p>Not thread-safe: each scanning thread fills its own and the partial results are {@link #merge}d.
 */
public final class TopK {
    /** The order of results: higher score first, then smaller id. */
    public static final Comparator<ScoredId> BEST_FIRST =
            Comparator.comparingDouble((ScoredId s) -> -s.score()).thenComparingLong(ScoredId::id);

    private final int k;
    private final long[] ids;
    private final float[] scores;
    private int size;

    public TopK(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        this.k = k;
        this.ids = new long[k];
        this.scores = new float[k];
    }

    public int k() {
        return k;
    }

    public int size() {
        return size;
    }

    /**
     * The score a candidate must beat to enter (ties broken by id), or negative infinity while not full.
     * Scan loops test {@code score >= threshold()} before calling {@link #offer} to skip most calls.
     */
    public float threshold() {
        return size < k ? Float.NEGATIVE_INFINITY : scores[0];
    }

    /** Offers a candidate; returns whether it was kept. NaN scores are never kept. */
    public boolean offer(long id, float score) {
        if (k == 0 || score != score) {
            return false;
        }
        if (size < k) {
            int i = size++;
            ids[i] = id;
            scores[i] = score;
            siftUp(i);
            return true;
        }
        if (!worse(ids[0], scores[0], id, score)) {
            return false;
        }
        ids[0] = id;
        scores[0] = score;
        siftDown(0);
        return true;
    }

    /** Adds all of {@code other}'s entries. */
    public void merge(TopK other) {
        for (int i = 0; i < other.size; i++) {
            offer(other.ids[i], other.scores[i]);
        }
    }

    /** The kept entries, best first. */
    public List<ScoredId> toList() {
        ScoredId[] out = new ScoredId[size];
        for (int i = 0; i < size; i++) {
            out[i] = new ScoredId(ids[i], scores[i]);
        }
        Arrays.sort(out, BEST_FIRST);
        return List.of(out);
    }

    /** The kept entries, unordered (copies). */
    Shortlist shortlist() {
        return new Shortlist(Arrays.copyOf(ids, size), Arrays.copyOf(scores, size), size);
    }

    /** Whether (ia, sa) ranks below (ib, sb). */
    private static boolean worse(long ia, float sa, long ib, float sb) {
        return sa < sb || (sa == sb && ia > ib);
    }

    private void siftUp(int i) {
        long id = ids[i];
        float s = scores[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!worse(id, s, ids[parent], scores[parent])) {
                break;
            }
            ids[i] = ids[parent];
            scores[i] = scores[parent];
            i = parent;
        }
        ids[i] = id;
        scores[i] = s;
    }

    private void siftDown(int i) {
        long id = ids[i];
        float s = scores[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && worse(ids[right], scores[right], ids[child], scores[child])) {
                child = right;
            }
            if (!worse(ids[child], scores[child], id, s)) {
                break;
            }
            ids[i] = ids[child];
            scores[i] = scores[child];
            i = child;
        }
        ids[i] = id;
        scores[i] = s;
    }

    /** Scalar reference: full sort of all candidates, then the first {@code k}. NaN scores are dropped. */
    public static List<ScoredId> reference(long[] ids, float[] scores, int k) {
        List<ScoredId> all = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (!Float.isNaN(scores[i])) {
                all.add(new ScoredId(ids[i], scores[i]));
            }
        }
        all.sort(BEST_FIRST);
        return List.copyOf(all.subList(0, Math.min(k, all.size())));
    }
}
