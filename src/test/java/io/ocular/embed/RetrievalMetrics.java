package io.ocular.embed;

import java.util.Arrays;

/** Retrieval metrics over a set of vectors where every item is a query (exhaustive cosine ranking). */
final class RetrievalMetrics {
    private RetrievalMetrics() {
    }

    /** Mean average precision; relevant = same label, the query itself excluded. */
    static double meanAveragePrecision(float[][] vs, int[] labels) {
        double sum = 0;
        for (int q = 0; q < vs.length; q++) {
            Integer[] order = ranking(vs, q);
            int relevantTotal = 0;
            for (int i = 0; i < vs.length; i++) {
                if (i != q && labels[i] == labels[q]) {
                    relevantTotal++;
                }
            }
            int hits = 0;
            int rank = 0;
            double ap = 0;
            for (Integer i : order) {
                if (i == q) {
                    continue;
                }
                rank++;
                if (labels[i] == labels[q]) {
                    hits++;
                    ap += (double) hits / rank;
                }
            }
            sum += relevantTotal == 0 ? 0 : ap / relevantTotal;
        }
        return sum / vs.length;
    }

    /** Precision at k (query excluded), averaged over all queries. */
    static double precisionAt(float[][] vs, int[] labels, int k) {
        double sum = 0;
        for (int q = 0; q < vs.length; q++) {
            int hits = 0;
            int seen = 0;
            for (Integer i : ranking(vs, q)) {
                if (i == q) {
                    continue;
                }
                if (labels[i] == labels[q]) {
                    hits++;
                }
                if (++seen == k) {
                    break;
                }
            }
            sum += (double) hits / k;
        }
        return sum / vs.length;
    }

    /** UKBench N-S score: mean count of same-group items in the top 4, query included. */
    static double nisterStewenius(float[][] vs, int[] groups) {
        double sum = 0;
        for (int q = 0; q < vs.length; q++) {
            Integer[] order = ranking(vs, q);
            for (int r = 0; r < 4 && r < order.length; r++) {
                if (groups[order[r]] == groups[q]) {
                    sum++;
                }
            }
        }
        return sum / vs.length;
    }

    /** All indices by decreasing dot product with item q (ties by index). */
    private static Integer[] ranking(float[][] vs, int q) {
        double[] s = new double[vs.length];
        for (int i = 0; i < vs.length; i++) {
            s[i] = TestImages.dot(vs[q], vs[i]);
        }
        Integer[] order = new Integer[vs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> s[a] != s[b] ? Double.compare(s[b], s[a]) : Integer.compare(a, b));
        return order;
    }
}
