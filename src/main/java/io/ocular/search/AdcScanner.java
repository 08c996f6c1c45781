package io.ocular.search;

import io.ocular.model.ScoredId;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.LongPredicate;

/**
 * The hot loop of compact-code search: asymmetric distance computation over the codes of the probed
 * lists, one lookup-table entry per code byte, keeping the best {@code count}. Two ways to keep them: a
 * {@link TopK} heap while scanning (few candidates, or a filter that is asked only about codes that score high
 * enough), or — for the re-rank's long shortlist (k·r, hundreds to thousands) — every score written to a scratch
 * array, the count-th best found by quickselect and the members gathered in one more pass (a heap of thousands
 * costs a sift of a dozen levels for every code that enters it, most of the scan's time at r = 200). Large scans
 * are split into equal slices across the lists, one per thread of the {@link ScanPool}. {@link #scanReference}
 * is the plain version (2-D table, full sort) the equivalence tests and the JMH benchmark compare against.
 */
public final class AdcScanner {
    /** Below this many codes to scan, one thread does it all (a hand-off costs tens of microseconds). */
    static final int PARALLEL_MIN_CODES = 16_384;
    /** From this many candidates on (and without a filter) the shortlist is selected rather than heaped. */
    static final int SELECT_MIN_COUNT = 128;
    /** Scratch arrays up to this many floats are kept per thread between searches. */
    private static final int SCRATCH_KEPT = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

    private AdcScanner() {
    }

    /**
     * The best {@code count} codes of the probed lists by ADC score, best first.
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
        return shortlist(lists, probe, base, lut, count, pool, parallelMin, allowed).toList();
    }

    /** The members of {@link #scan}'s result, unordered (what the re-rank needs). */
    static Shortlist shortlist(InvertedLists lists, int[] probe, float[] base, float[] lut, int count, ScanPool pool,
                               int parallelMin, LongPredicate allowed) {
        long total = lists.total(probe);
        int threads = total < parallelMin ? 1 : pool.parallelism();
        if (allowed == null && count >= SELECT_MIN_COUNT && total <= Integer.MAX_VALUE - 8) {
            return select(lists, probe, base, lut, count, pool, threads, (int) total);
        }
        return heap(lists, probe, base, lut, count, pool, threads, total, allowed);
    }

    private static Shortlist heap(InvertedLists lists, int[] probe, float[] base, float[] lut, int count,
                                  ScanPool pool, int threads, long total, LongPredicate allowed) {
        int m = lists.codeBytes();
        if (threads == 1) {
            TopK top = new TopK(count);
            for (int i = 0; i < probe.length; i++) {
                InvertedLists.CodeList cl = lists.list(probe[i]);
                scan(cl.codes, cl.ids, 0, cl.size, m, lut, base[i], top, allowed);
            }
            return top.shortlist();
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
        return merged.shortlist();
    }

    /**
     * Every score into a scratch array (the lists split across {@code threads}), the count-th best by
     * quickselect, then the members: every score above it, and of the scores equal to it the smallest ids (the
     * tie rule of {@link TopK}), so the members are exactly the heap's.
     */
    private static Shortlist select(InvertedLists lists, int[] probe, float[] base, float[] lut, int count,
                                    ScanPool pool, int threads, int total) {
        int m = lists.codeBytes();
        float[][] scratch = SCRATCH.get();
        float[] scores = scratch[0].length >= total ? scratch[0] : new float[total];
        float[] work = scratch[1].length >= total ? scratch[1] : new float[total];
        if (total <= SCRATCH_KEPT && scores != scratch[0]) {
            scratch[0] = scores;
            scratch[1] = work;
        }
        if (threads == 1) {
            int at = 0;
            for (int i = 0; i < probe.length; i++) {
                InvertedLists.CodeList cl = lists.list(probe[i]);
                score(cl.codes, 0, cl.size, m, lut, base[i], scores, at);
                at += cl.size;
            }
        } else {
            List<Callable<Void>> tasks = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                long from = (long) total * t / threads;
                long to = (long) total * (t + 1) / threads;
                tasks.add(() -> {
                    long offset = 0;
                    for (int i = 0; i < probe.length && offset < to; i++) {
                        InvertedLists.CodeList cl = lists.list(probe[i]);
                        long a = Math.max(from, offset);
                        long b = Math.min(to, offset + cl.size);
                        if (a < b) {
                            score(cl.codes, (int) (a - offset), (int) (b - offset), m, lut, base[i], scores, (int) a);
                        }
                        offset += cl.size;
                    }
                    return null;
                });
            }
            pool.invokeAll(tasks);
        }
        int n = Math.min(count, total);
        long[] ids = new long[n];
        float[] kept = new float[n];
        if (n == total) {
            int at = 0;
            for (int probed : probe) {
                InvertedLists.CodeList cl = lists.list(probed);
                System.arraycopy(cl.ids, 0, ids, at, cl.size);
                at += cl.size;
            }
            System.arraycopy(scores, 0, kept, 0, n);
            return new Shortlist(ids, kept, n);
        }
        float th = Shortlist.kthLargest(scores, total, count, work);
        int above = 0;
        int ties = 0;
        for (int i = 0; i < total; i++) {
            float s = scores[i];
            if (s > th) {
                above++;
            } else if (s == th) {
                ties++;
            }
        }
        long[] tied = new long[ties];
        int g = 0;
        int t = 0;
        int at = 0;
        for (int probed : probe) {
            InvertedLists.CodeList cl = lists.list(probed);
            for (int r = 0; r < cl.size; r++, at++) {
                float s = scores[at];
                if (s > th) {
                    ids[g] = cl.ids[r];
                    kept[g++] = s;
                } else if (s == th) {
                    tied[t++] = cl.ids[r];
                }
            }
        }
        Arrays.sort(tied);
        for (int i = 0; g < n; i++) {
            ids[g] = tied[i];
            kept[g++] = th;
        }
        return new Shortlist(ids, kept, n);
    }

    /**
     * ADC scores of codes [from, to) (plus {@code base}) into {@code out[outOff..]}, each equal to
     * {@code base + adc(...)}. (Summing two codes side by side, for more sums in flight, measured slower: the loop is
     * bound by the look-ups' instructions, not by the adder's latency.)
     */
    static void score(byte[] codes, int from, int to, int m, float[] lut, float base, float[] out, int outOff) {
        for (int i = from, p = from * m, o = outOff; i < to; i++, p += m, o++) {
            out[o] = base + adc(codes, p, m, lut);
        }
    }

    /** Plain twin of {@link #score}: one {@link #adcBytewise} per code. */
    static void scoreReference(byte[] codes, int from, int to, int m, float[] lut, float base, float[] out,
                               int outOff) {
        for (int i = from, p = from * m, o = outOff; i < to; i++, p += m, o++) {
            out[o] = base + adcBytewise(codes, p, m, lut);
        }
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

    /**
     * Sum of one table entry per code byte, with four independent accumulators (byte j adds to accumulator
     * j mod 4, in order). Eight code bytes are read as one little-endian long: one load instead of eight, which
     * leaves the load ports to the table look-ups.
     */
    public static float adc(byte[] codes, int p, int m, float[] lut) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 8 <= m; j += 8) {
            long w = (long) LONGS.get(codes, p + j);
            int t = j << 8;
            s0 += lut[t + (int) (w & 0xFF)];
            s1 += lut[t + 256 + (int) ((w >>> 8) & 0xFF)];
            s2 += lut[t + 512 + (int) ((w >>> 16) & 0xFF)];
            s3 += lut[t + 768 + (int) ((w >>> 24) & 0xFF)];
            s0 += lut[t + 1024 + (int) ((w >>> 32) & 0xFF)];
            s1 += lut[t + 1280 + (int) ((w >>> 40) & 0xFF)];
            s2 += lut[t + 1536 + (int) ((w >>> 48) & 0xFF)];
            s3 += lut[t + 1792 + (int) (w >>> 56)];
        }
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

    /**
     * The previous {@link #adc} (one byte load per look-up), the same sums in the same order: kept as the
     * bytewise twin the equivalence test and {@code AdcScanBench} compare the long-read version against.
     */
    public static float adcBytewise(byte[] codes, int p, int m, float[] lut) {
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
