package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongPredicate;

/**
 * The hot loop of compact-code search: asymmetric distance computation over the codes of the probed
 * lists, one lookup-table entry per code byte, keeping the best {@code count}. Large scans are split into
 * equal slices across the lists, one per thread of the {@link ScanPool}. {@link #scanReference} is the plain
 * version (2-D table, full sort) the equivalence tests and the JMH benchmark compare against.
 */
public final class AdcScanner {
    /** Below this many codes to scan, one thread does it all. */
    static final int PARALLEL_MIN_CODES = 32_768;

    private AdcScanner() {
    }

    /**
     * The best {@code count} codes of the probed lists by ADC score.
     *
     * @param base        per probed list, the score every code in it starts from ({@code <q, c_l>} with IVF)
     * @param parallelMin codes below which the scan stays on the calling thread
     */
    static List<ScoredId> scan(InvertedLists lists, int[] probe, float[] base, float[] lut, int count, ScanPool pool,
                               int parallelMin) {
        return scan(lists, probe, base, lut, count, pool, parallelMin, null);
    }

    /**
     * As {@link #scan(InvertedLists, int[], float[], float[], int, ScanPool, int)}, keeping only ids that
     * {@code allowed} accepts (null: all), so {@code count} allowed codes come back whenever there are that
     * many. The filter is asked only about codes that score high enough to enter the heap.
     */
    static List<ScoredId> scan(InvertedLists lists, int[] probe, float[] base, float[] lut, int count, ScanPool pool,
                               int parallelMin, LongPredicate allowed) {
        int m = lists.codeBytes();
        long total = lists.total(probe);
        int threads = total < parallelMin ? 1 : pool.parallelism();
        if (threads == 1) {
            TopK top = new TopK(count);
            for (int i = 0; i < probe.length; i++) {
                InvertedLists.CodeList cl = lists.list(probe[i]);
                scan(cl.codes, cl.ids, 0, cl.size, m, lut, base[i], top, allowed);
            }
            return top.toList();
        }
        List<Callable<TopK>> tasks = new ArrayList<>(threads);
        for (int t = 0; t < threads; t++) {
            long from = total * t / threads;
            long to = total * (t + 1) / threads;
            tasks.add(() -> {
                TopK top = new TopK(count);
                long offset = 0;
                for (int i = 0; i < probe.length && offset < to; i++) {
                    InvertedLists.CodeList cl = lists.list(probe[i]);
                    long a = Math.max(from, offset);
                    long b = Math.min(to, offset + cl.size);
                    if (a < b) {
                        scan(cl.codes, cl.ids, (int) (a - offset), (int) (b - offset), m, lut, base[i], top, allowed);
                    }
                    offset += cl.size;
                }
                return top;
            });
        }
        TopK merged = new TopK(count);
        for (TopK part : pool.invokeAll(tasks)) {
            merged.merge(part);
        }
        return merged.toList();
    }

    /** ADC scan of codes [from, to) into {@code top}, of the ids {@code allowed} accepts (null: all). */
    static void scan(byte[] codes, long[] ids, int from, int to, int m, float[] lut, float base, TopK top,
                     LongPredicate allowed) {
        float th = top.threshold();
        if (allowed == null) {
            for (int i = from, p = from * m; i < to; i++, p += m) {
                float s = base + adc(codes, p, m, lut);
                if (s >= th) {
                    top.offer(ids[i], s);
                    th = top.threshold();
                }
            }
            return;
        }
        for (int i = from, p = from * m; i < to; i++, p += m) {
            float s = base + adc(codes, p, m, lut);
            if (s >= th && allowed.test(ids[i])) {
                top.offer(ids[i], s);
                th = top.threshold();
            }
        }
    }

    /** Sum of one table entry per code byte, unrolled by four with independent accumulators. */
    public static float adc(byte[] codes, int p, int m, float[] lut) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 4 <= m; j += 4) {
            int t = j << 8;
            s0 += lut[t + (codes[p + j] & 0xFF)];
            s1 += lut[t + 256 + (codes[p + j + 1] & 0xFF)];
            s2 += lut[t + 512 + (codes[p + j + 2] & 0xFF)];
            s3 += lut[t + 768 + (codes[p + j + 3] & 0xFF)];
        }
        for (; j < m; j++) {
            s0 += lut[(j << 8) + (codes[p + j] & 0xFF)];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Scalar reference for {@link #adc}: a 2-D table, one subspace after another. */
    public static float adcReference(byte[] codes, int p, int m, float[][] table) {
        float s = 0f;
        for (int j = 0; j < m; j++) {
            s += table[j][Byte.toUnsignedInt(codes[p + j])];
        }
        return s;
    }

    /** Reference for {@link #scan}: scalar ADC over a 2-D table and a full sort. */
    static List<ScoredId> scanReference(InvertedLists lists, int[] probe, float[] base, float[] lut, int count,
                                        LongPredicate allowed) {
        int m = lists.codeBytes();
        float[][] table = new float[m][];
        for (int j = 0; j < m; j++) {
            table[j] = Arrays.copyOfRange(lut, j * 256, (j + 1) * 256);
        }
        int total = (int) lists.total(probe);
        long[] ids = new long[total];
        float[] scores = new float[total];
        int n = 0;
        for (int i = 0; i < probe.length; i++) {
            InvertedLists.CodeList cl = lists.list(probe[i]);
            for (int r = 0; r < cl.size; r++) {
                if (allowed == null || allowed.test(cl.ids[r])) {
                    ids[n] = cl.ids[r];
                    scores[n++] = base[i] + adcReference(cl.codes, r * m, m, table);
                }
            }
        }
        return TopK.reference(Arrays.copyOf(ids, n), Arrays.copyOf(scores, n), count);
    }
}
