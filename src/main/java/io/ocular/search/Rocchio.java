package io.ocular.search;

import java.util.List;

/**
 * Rocchio relevance feedback: {@code q' = alpha * q + beta * mean(relevant) - gamma * mean(irrelevant)},
 * re-normalised. Applied once per feedback round, so undoing a round is re-running with fewer rounds.
 *
 * @param alpha weight of the current query
 * @param beta  pull towards the images marked relevant
 * @param gamma push away from the images marked irrelevant
 */
public record Rocchio(double alpha, double beta, double gamma) {
    /** The textbook weights (Manning, Raghavan &amp; Schütze): 1, 0.75, 0.15. */
    public static final Rocchio DEFAULT = new Rocchio(1.0, 0.75, 0.15);

    public Rocchio {
        if (!(alpha >= 0) || !(beta >= 0) || !(gamma >= 0) || Double.isInfinite(alpha + beta + gamma)) {
            throw new IllegalArgumentException("Rocchio weights must be finite and non-negative: " + alpha + ", "
                    + beta + ", " + gamma);
        }
    }

    /** One round; empty lists contribute nothing. Returns a unit vector (the old query if all would cancel). */
    public float[] refine(float[] query, List<float[]> relevant, List<float[]> irrelevant) {
        int dim = query.length;
        double[] acc = new double[dim];
        for (int i = 0; i < dim; i++) {
            acc[i] = alpha * query[i];
        }
        addMean(acc, relevant, beta);
        addMean(acc, irrelevant, -gamma);
        float[] out = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            out[i] = (float) acc[i];
            norm += acc[i] * acc[i];
        }
        if (!(norm > 1e-12)) {
            return query.clone();
        }
        VectorMath.normaliseInPlace(out);
        return out;
    }

    private static void addMean(double[] acc, List<float[]> vectors, double weight) {
        if (vectors.isEmpty() || weight == 0) {
            return;
        }
        double w = weight / vectors.size();
        for (float[] v : vectors) {
            if (v.length != acc.length) {
                throw new IllegalArgumentException("feedback vector has " + v.length + " dimensions, expected "
                        + acc.length);
            }
            for (int i = 0; i < acc.length; i++) {
                acc[i] += w * v[i];
            }
        }
    }
}
