package io.ocular.search.train;

import io.ocular.search.CodeEncoder;
import io.ocular.search.ProductQuantizer;
import io.ocular.search.SpqModel;

import java.util.Locale;

/**
 * Decides, on the user's own photos, whether trained SPQ codes beat plain PQ codes of the same length before the
 * app switches to them: photos held out of SPQ training are coded by both (SPQ by its model; PQ by k-means
 * codebooks trained on the training photos' first views), and every held-out photo searches, with another
 * augmented view of itself, among the codes of all held-out photos' first views. The measure is the mean
 * reciprocal rank of the photo's own code (its other view must come back first: augmentation-invariant codes
 * are what SPQ is trained for, and what a near-duplicate or re-shot query needs). SPQ wins only by a margin.
 */
public final class SpqSelfCheck {
    /** SPQ must beat PQ's mean reciprocal rank by this much (noise on a few hundred held-out photos). */
    public static final double DEFAULT_MARGIN = 0.01;
    private static final int PQ_ITERATIONS = 20;

    /**
     * @param spqScore mean reciprocal rank of SPQ's codes
     * @param pqScore  the same for PQ codes of the same length
     * @param heldOut  held-out photos measured
     */
    public record Result(double spqScore, double pqScore, int heldOut, boolean spqWins) {
        public String summary() {
            return String.format(Locale.ROOT, "self-check on %d held-out photos: SPQ %.3f vs PQ %.3f (MRR of the other"
                    + " view) — %s", heldOut, spqScore, pqScore, spqWins ? "SPQ is used" : "PQ is kept");
        }
    }

    private SpqSelfCheck() {
    }

    /**
     * @param training views of the photos SPQ was trained on (PQ learns its codebooks from their first views)
     * @param heldOut  views of photos SPQ never saw, at least two each
     * @param spq      the trained model (vector head)
     * @param margin   how much SPQ must win by
     */
    public static Result run(TrainingSet training, TrainingSet heldOut, SpqModel spq, double margin, long seed) {
        return run(training, heldOut, spq, margin, seed, spq.bits());
    }

    /**
     * As {@link #run(TrainingSet, TrainingSet, SpqModel, double, long)}, against PQ codes of {@code pqBits} bits
     * instead of SPQ's own length: the live engine compares with the PQ codes it would otherwise use (0200).
     */
    public static Result run(TrainingSet training, TrainingSet heldOut, SpqModel spq, double margin, long seed,
                             int pqBits) {
        int dim = training.dimension();
        int n = training.size();
        if (n < ProductQuantizer.KSUB) {   // no PQ to compare with: the app keeps PQ's fallback (exact) anyway
            return new Result(meanReciprocalRank(spq, heldOut), Double.NaN, heldOut.size(), false);
        }
        float[] data = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(training.view(i, 0), 0, data, i * dim, dim);
        }
        int m = Math.max(1, Math.min(dim, pqBits / 8));
        while (dim % m != 0 && m > 1) {
            m--;
        }
        ProductQuantizer pq = ProductQuantizer.train(data, n, dim, m, PQ_ITERATIONS, seed, null);
        double spqScore = meanReciprocalRank(spq, heldOut);
        double pqScore = meanReciprocalRank(pq, heldOut);
        return new Result(spqScore, pqScore, heldOut.size(), spqScore > pqScore + margin);
    }

    /** Each held-out photo's view 1 searches the codes of all view 0s by ADC; mean of 1 / rank of its own. */
    public static double meanReciprocalRank(CodeEncoder codes, TrainingSet heldOut) {
        int n = heldOut.size();
        int bytes = codes.codeBytes();
        byte[] db = new byte[n * bytes];
        for (int i = 0; i < n; i++) {
            codes.encode(heldOut.view(i, 0), 0, db, i * bytes);
        }
        float[] lut = new float[bytes * ProductQuantizer.KSUB];
        double sum = 0;
        for (int q = 0; q < n; q++) {
            if (heldOut.views(q) < 2) {
                throw new IllegalArgumentException("held-out photos need two views each");
            }
            codes.innerProductTable(heldOut.view(q, 1), lut);
            float own = score(lut, db, q * bytes, bytes);
            double rank = 1;   // ties count half: the expected rank when they are broken at random
            for (int i = 0; i < n; i++) {
                if (i != q) {
                    float s = score(lut, db, i * bytes, bytes);
                    rank += s > own ? 1 : s == own ? 0.5 : 0;
                }
            }
            sum += 1.0 / rank;
        }
        return sum / n;
    }

    private static float score(float[] lut, byte[] codes, int off, int bytes) {
        float s = 0;
        for (int j = 0; j < bytes; j++) {
            s += lut[j * ProductQuantizer.KSUB + (codes[off + j] & 0xFF)];
        }
        return s;
    }
}
