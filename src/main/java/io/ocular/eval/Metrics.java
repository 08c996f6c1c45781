package io.ocular.eval;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Retrieval metrics as pure functions over a ranked list of ids (best first) and the set of relevant ids.
 * The ranked list is what the system returned for one query, already without the query itself when the
 * protocol excludes it.
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Average precision over the whole ranked list, normalised by the number of relevant items (relevant
     * items that were never returned count as misses). The usual definition for Holidays and class-level
     * retrieval: {@code AP = (1/|R|) * sum over ranks i of a relevant hit of P@i}. Zero when nothing is
     * relevant.
     */
    public static double averagePrecision(List<Long> ranked, Set<Long> relevant) {
        return averagePrecision(ranked, relevant, relevant.size());
    }

    /**
     * As {@link #averagePrecision(List, Set)}, normalised by {@code totalRelevant}, which may exceed
     * {@code relevant.size()} when some relevant items cannot be retrieved at all (e.g. files the indexer
     * skipped): they count as misses.
     */
    public static double averagePrecision(List<Long> ranked, Set<Long> relevant, int totalRelevant) {
        if (totalRelevant < relevant.size()) {
            throw new IllegalArgumentException("totalRelevant " + totalRelevant + " < " + relevant.size());
        }
        if (totalRelevant == 0) {
            return 0;
        }
        int hits = 0;
        double sum = 0;
        for (int i = 0; i < ranked.size(); i++) {
            if (relevant.contains(ranked.get(i))) {
                hits++;
                sum += (double) hits / (i + 1);
            }
        }
        return sum / totalRelevant;
    }

    /**
     * AP@k as the hashing/quantization literature computes it (DPQ, SPQ, ... "mAP@1000"): over the top
     * {@code k} only and normalised by the number of relevant items found there, not by all relevant
     * items. Zero when none of the top {@code k} is relevant.
     */
    public static double averagePrecisionAt(List<Long> ranked, Set<Long> relevant, int k) {
        requirePositive(k);
        int n = Math.min(k, ranked.size());
        int hits = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            if (relevant.contains(ranked.get(i))) {
                hits++;
                sum += (double) hits / (i + 1);
            }
        }
        return hits == 0 ? 0 : sum / hits;
    }

    /** Fraction of the top {@code k} that is relevant; a list shorter than {@code k} counts its gaps as misses. */
    public static double precisionAt(List<Long> ranked, Set<Long> relevant, int k) {
        requirePositive(k);
        return (double) relevantInTop(ranked, relevant, k) / k;
    }

    /** Number of relevant ids among the first {@code k} (N-S score per query with k = 4). */
    public static int relevantInTop(List<Long> ranked, Set<Long> relevant, int k) {
        requirePositive(k);
        int n = Math.min(k, ranked.size());
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (relevant.contains(ranked.get(i))) {
                count++;
            }
        }
        return count;
    }

    /**
     * UKBench N-S score of one query: same-group images among the top 4, the query included in both the
     * results and its group (so 4 is perfect).
     */
    public static int nisterStewenius(List<Long> ranked, Set<Long> group) {
        return relevantInTop(ranked, group, 4);
    }

    /** Arithmetic mean; NaN for an empty collection (no queries means no score, not a score of zero). */
    public static double mean(Collection<? extends Number> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double s = 0;
        for (Number v : values) {
            s += v.doubleValue();
        }
        return s / values.size();
    }

    private static void requirePositive(int k) {
        if (k <= 0) {
            throw new IllegalArgumentException("k must be positive: " + k);
        }
    }
}
