package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.LongFunction;

/**
 * The compact codes' recall self-check (issue 13: retrain "when the recall self-check drops"). A few stored photos,
 * chosen at random, search the codes exactly as the app does, and their top 10 is compared with exact search's
 * top 10 (each photo itself left out of both). {@link AdaptiveIndex} measures it right after codes are built (the
 * baseline) and again each time the library has grown by {@link #GROWTH} since the last check; codes that have
 * fallen more than {@link #DROP} below their baseline, or under {@link #FLOOR}, are retrained — but only when the
 * library has grown by {@link #GROWTH} since they were trained, so codes that are simply as good as PQ gets on
 * this library are never retrained in a loop. The other trigger, a library twice the size the codes were trained on, stays
 * ({@link PqIndex#needsRetrain}). Photos added after training are coded with quantisers that never saw them:
 * when the new photos look unlike the old (a new camera, a new kind of subject, another model's drift), their
 * codes are coarse, and this is what notices it before the library doubles.
 */
final class RecallCheck {
    /** Photos that search per check: 16 exact scans (at 1M × 1280 a few CPU-seconds, on the background thread). */
    static final int QUERIES = 16;
    /** A recall this far below the baseline asks for a retrain. */
    static final double DROP = 0.05;
    /** A recall under this asks for a retrain whatever the baseline. */
    static final double FLOOR = 0.80;
    /** The check runs again once the library has grown by this share since the last one. */
    static final double GROWTH = 0.25;
    private static final int K = 10;

    private RecallCheck() {
    }

    /**
     * Mean recall@10 of {@code approx} against {@code exact} over {@code queries} of {@code ids} (chosen with
     * {@code seed}; fewer when fewer are stored), each query being a stored photo's vector; NaN without queries.
     */
    static double measure(long[] ids, LongFunction<float[]> vectorOf,
                          BiFunction<float[], Integer, List<ScoredId>> approx,
                          BiFunction<float[], Integer, List<ScoredId>> exact, int queries, long seed) {
        if (ids.length <= K) {
            return Double.NaN;
        }
        Random r = new Random(seed);
        double hits = 0;
        int asked = 0;
        for (int q = 0; q < Math.min(queries, ids.length); q++) {
            long id = ids[r.nextInt(ids.length)];
            float[] v = vectorOf.apply(id);
            if (v == null) {
                continue; // removed meanwhile
            }
            Set<Long> truth = topOthers(exact.apply(v, K + 1), id);
            for (long found : topOthers(approx.apply(v, K + 1), id)) {
                hits += truth.contains(found) ? 1 : 0;
            }
            asked++;
        }
        return asked == 0 ? Double.NaN : hits / (K * (double) asked);
    }

    /** The first {@value #K} ids of {@code hits} other than {@code self}. */
    private static Set<Long> topOthers(List<ScoredId> hits, long self) {
        Set<Long> out = new HashSet<>();
        for (ScoredId s : hits) {
            if (s.id() != self && out.size() < K) {
                out.add(s.id());
            }
        }
        return out;
    }

    /** Whether a check is due at {@code size} photos, the last one having run at {@code checkedAt} (0: none yet). */
    static boolean due(int checkedAt, int size) {
        return checkedAt > 0 && size >= checkedAt * (1 + GROWTH);
    }

    /**
     * Whether codes trained on {@code trainedSize} photos, measured at {@code recall} against their
     * {@code baseline} (NaN: none yet), should be retrained at {@code size} photos: the recall fell, and a quarter
     * of the photos or more were coded by quantisers that never saw them.
     */
    static boolean asksRetrain(double baseline, double recall, int trainedSize, int size) {
        if (Double.isNaN(recall) || size < trainedSize * (1 + GROWTH)) {
            return false;
        }
        return recall < FLOOR || (!Double.isNaN(baseline) && recall < baseline - DROP);
    }
}
