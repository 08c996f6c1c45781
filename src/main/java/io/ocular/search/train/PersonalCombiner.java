package io.ocular.search.train;

import io.ocular.model.OcularException;
import io.ocular.search.CombinerComposer;
import io.ocular.search.CombinerModel;
import io.ocular.search.ComposedRecall;
import io.ocular.search.ComposedTriplets;
import io.ocular.search.VectorIndex;
import io.ocular.search.WeightedSumComposer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * A personal Combiner from one user's marks (issue 19, decision 0160): the triplets are split by reference photo
 * into training and held-out ones (a reference's triplets all fall on one side, so the held-out recall is
 * measured on searches the model never saw), the Combiner is trained on the first and compared with the weighted
 * sum on the second, over the user's whole library as the gallery. The sum is scored at the slider weight each
 * marked search was made with: what the user actually got from it. The Combiner is to be used only when it finds
 * clearly more held-out targets in the top {@value #K} ({@link #MARGIN} more) than that.
 */
public final class PersonalCombiner {
    /** Relevant marks before a personal Combiner is trained (see decision 0160 for the choice). */
    public static final int MIN_TRIPLETS = 100;
    /** Recall@K decides. */
    public static final int K = 10;
    /** Share of triplets (by reference photo) held out. */
    static final double HELD_OUT = 0.2;
    /** Held-out triplets the Combiner must find beyond the sum's to be used. */
    static final int MARGIN = 2;

    /** The outcome: the model and both held-out recalls; {@link #beatsSum()} says whether to use it. */
    public record Outcome(CombinerModel model, double combinerRecall, double sumRecall, int trained, int heldOut) {
        public boolean beatsSum() {
            return Math.round((combinerRecall - sumRecall) * heldOut) >= MARGIN;
        }
    }

    private final CombinerTrainer trainer;

    public PersonalCombiner(CombinerTrainer trainer) {
        this.trainer = trainer;
    }

    /**
     * Personal training sizes for {@code dim}-d features: projections of dim and a hidden width of 2·dim (a
     * quarter of the benchmark Combiner's weights: a few hundred triplets cannot feed more), 30 epochs.
     */
    public static CombinerTrainer.Config config(int dim) {
        return CombinerTrainer.Config.defaults(dim).withSizes(dim, 2 * dim);
    }

    /**
     * Rows of the held-out triplets: whole references, chosen by a fixed hash of their id, until at least
     * {@link #HELD_OUT} of the triplets (and at least one reference) are held out; never all of them.
     */
    static int[] heldOutRows(long[] referenceIds) {
        TreeMap<Long, List<Integer>> byHash = new TreeMap<>();
        TreeMap<Long, List<Integer>> byRef = new TreeMap<>();
        for (int i = 0; i < referenceIds.length; i++) {
            byRef.computeIfAbsent(referenceIds[i], r -> new ArrayList<>()).add(i);
        }
        byRef.forEach((ref, rows) -> byHash.put(mix(ref) * 31 + ref, rows));
        List<Integer> out = new ArrayList<>();
        int refs = 0;
        for (List<Integer> rows : byHash.values()) {
            if (out.size() >= Math.ceil(HELD_OUT * referenceIds.length) || refs == byRef.size() - 1) {
                break;
            }
            out.addAll(rows);
            refs++;
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    private static long mix(long x) { // SplitMix64's finaliser: a fixed, well-spread order of references
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    /**
     * Trains on the training split and scores both composers on the held-out split.
     *
     * @param referenceIds per triplet, the library id of its reference photo (left out of its ranking)
     * @param weights      per triplet, the text weight of the search it was marked in (the sum's baseline)
     * @param gallery      the user's library in the same image space (targets are its ids)
     * @param minimum      the fewest triplets to train on ({@link #MIN_TRIPLETS} in the app)
     * @throws OcularException       with fewer than {@code minimum} triplets or when training fails
     * @throws CancellationException when cancelled
     */
    public Outcome train(ComposedTriplets all, long[] referenceIds, double[] weights, VectorIndex gallery,
                  CombinerTrainer.Config cfg, CombinerTrainer.Checkpoint resume, CombinerTrainer.Listener listener,
                  Consumer<CombinerTrainer.Checkpoint> checkpoints, BooleanSupplier cancelled, int minimum) {
        if (all.size() < minimum) {
            throw new OcularException("a personal combiner needs at least " + minimum + " photos marked as good"
                    + " matches of composed searches; there are " + all.size());
        }
        if (referenceIds.length != all.size() || weights.length != all.size()) {
            throw new IllegalArgumentException(all.size() + " triplets but " + referenceIds.length + " reference ids"
                    + " and " + weights.length + " weights");
        }
        int[] held = heldOutRows(referenceIds);
        boolean[] isHeld = new boolean[all.size()];
        for (int r : held) {
            isHeld[r] = true;
        }
        int[] train = IntStream.range(0, all.size()).filter(i -> !isHeld[i]).toArray();
        CombinerModel model = trainer.train(all.subset(train), cfg, resume, listener, checkpoints, cancelled);
        long[] heldRefs = Arrays.stream(held).mapToLong(i -> referenceIds[i]).toArray();
        double combiner = new ComposedRecall(gallery, heldRefs).recall(all.subset(held), new CombinerComposer(model),
                0.5, K)[0];
        // the sum at each search's own weight: the held-out rows grouped by weight
        TreeMap<Double, List<Integer>> byWeight = new TreeMap<>();
        for (int r : held) {
            byWeight.computeIfAbsent(weights[r], w -> new ArrayList<>()).add(r);
        }
        double found = 0;
        for (var e : byWeight.entrySet()) {
            int[] rows = e.getValue().stream().mapToInt(Integer::intValue).toArray();
            long[] refs = Arrays.stream(rows).mapToLong(i -> referenceIds[i]).toArray();
            found += rows.length * new ComposedRecall(gallery, refs).recall(all.subset(rows), new WeightedSumComposer(),
                    e.getKey(), K)[0];
        }
        return new Outcome(model, combiner, held.length == 0 ? 0 : found / held.length, train.length, held.length);
    }
}
