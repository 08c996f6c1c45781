package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Second pass for compact codes: re-scores candidates with their full-precision vectors (in memory or
 * memory-mapped) and keeps the best {@code k}. Candidates whose vector is gone are dropped.
 *
 * <p>A long shortlist (the live index re-ranks k·r = 2,000 at r = 200: 10 MB of 1280-float rows, read from all
 * over RAM or the mapped file) is split over the {@link ScanPool}: each thread keeps its own {@link TopK} and the
 * heaps are merged, which gives exactly the one-thread result ({@link TopK} breaks ties by id, so the order of
 * the offers does not matter).
 */
public final class ExactReranker implements Reranker {
    /** Floats read (candidates × dimension) below which the re-rank stays on the calling thread. */
    static final long PARALLEL_MIN_FLOATS = 1L << 18;

    private final VectorSource vectors;

    public ExactReranker(VectorSource vectors) {
        this.vectors = vectors;
    }

    @Override
    public List<ScoredId> rerank(float[] query, List<ScoredId> candidates, int k) {
        VectorMath.requireVector(query, vectors.dimension(), "the query vector");
        TopK top = new TopK(k);
        for (ScoredId c : candidates) {
            top.offer(c.id(), vectors.dot(c.id(), query)); // NaN (missing) is never kept
        }
        return top.toList();
    }

    @Override
    public List<ScoredId> rerank(float[] query, long[] ids, int count, int k, ScanPool pool) {
        VectorMath.requireVector(query, vectors.dimension(), "the query vector");
        int threads = pool == null || (long) count * vectors.dimension() < PARALLEL_MIN_FLOATS ? 1
                : Math.min(pool.parallelism(), count);
        if (threads <= 1) {
            return score(query, ids, 0, count, k).toList();
        }
        List<Callable<TopK>> tasks = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) count * t / threads);
            int to = (int) ((long) count * (t + 1) / threads);
            tasks.add(() -> score(query, ids, from, to, k));
        }
        TopK merged = new TopK(k);
        for (TopK part : pool.invokeAll(tasks)) {
            merged.merge(part);
        }
        return merged.toList();
    }

    /** Candidates re-scored between two checks of {@link #rerankAdaptive}'s stopping rule. */
    static final int BLOCK = 64;

    /**
     * Re-ranks the candidates in order of their approximate scores, best first, and stops once the rest cannot
     * plausibly reach the top {@code k}: the errors {@code approx - exact} of the candidates re-scored so far give
     * this query's mean error μ and spread σ, and a candidate whose approximate score is below
     * {@code θ + μ - z·σ} (θ: the k-th best exact score so far) would need an error more than z spreads below the
     * mean to belong — every later one too, as they score lower. At least {@code max(BLOCK, 2k)} are re-scored
     * before the first check; all {@code count} at most. With z = ∞ it equals the full re-rank
     * ({@link #rerank(float[], long[], int, int, ScanPool)}), which is the reference the tests compare it with.
     *
     * <p>Why: with 64-byte codes of 1280 floats the approximate scores are coarse, so a fixed depth must be set for
     * the hardest queries (r = 200 for the generated library's bursts of near-identical photos), while most queries
     * settle after a few hundred; the exact re-rank is the largest cost of a query (0050).
     *
     * @param depth receives how many candidates were re-scored (may be null)
     */
    public List<ScoredId> rerankAdaptive(float[] query, long[] ids, float[] approx, int count, int k, double z,
                                         int[] depth) {
        VectorMath.requireVector(query, vectors.dimension(), "the query vector");
        long[] order = new long[count];
        for (int i = 0; i < count; i++) {
            int key = Float.floatToIntBits(approx[i]);
            key ^= (key >> 31) & 0x7FFFFFFF; // ascending ints in the order of the floats
            order[i] = ((long) ~key << 32) | i; // best first, then by position
        }
        Arrays.sort(order);
        byIdWithinTies(order, approx, ids);
        TopK top = new TopK(k);
        double sum = 0;
        double sumSq = 0;
        int scored = 0;
        int done = 0;
        int first = Math.max(BLOCK, 2 * k);
        while (done < count) {
            if (done >= first && scored > 1) {
                double mean = sum / scored;
                double sd = Math.sqrt(Math.max(0, sumSq / scored - mean * mean));
                if (approx[(int) order[done]] < top.threshold() + mean - z * sd) {
                    break;
                }
            }
            int end = Math.min(count, done + BLOCK);
            for (; done < end; done++) {
                int i = (int) order[done];
                float exact = vectors.dot(ids[i], query);
                if (exact == exact) { // NaN: the vector is gone
                    double e = approx[i] - exact;
                    sum += e;
                    sumSq += e * e;
                    scored++;
                    top.offer(ids[i], exact);
                }
            }
        }
        if (depth != null) {
            depth[0] = done;
        }
        return top.toList();
    }

    /** Orders runs of equal approximate scores by id, so the order does not depend on how the shortlist was made. */
    private static void byIdWithinTies(long[] order, float[] approx, long[] ids) {
        for (int a = 0; a < order.length; ) {
            int b = a + 1;
            while (b < order.length && approx[(int) order[b]] == approx[(int) order[a]]) {
                b++;
            }
            for (int i = a + 1; i < b; i++) { // insertion sort: ties are rare and short
                long x = order[i];
                int j = i - 1;
                while (j >= a && ids[(int) order[j]] > ids[(int) x]) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = x;
            }
            a = b;
        }
    }

    private TopK score(float[] query, long[] ids, int from, int to, int k) {
        TopK top = new TopK(k);
        for (int i = from; i < to; i++) {
            top.offer(ids[i], vectors.dot(ids[i], query)); // NaN (missing) is never kept
        }
        return top;
    }
}
