package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Recall@K of composed queries over a gallery: the fraction of triplets whose target is among the K most
 * similar gallery images to {@code composer(reference, text)}, the reference image itself left out (the
 * CIRR and FashionIQ convention). Used to decide whether a trained Combiner beats the weighted sum on held-out
 * triplets, by the synthetic proof, and by the benchmark evaluation.
 */
public final class ComposedRecall {
    private final VectorIndex gallery;
    private final long[] referenceIds;

    /**
     * @param gallery      the images to rank (ids as in the triplets' target ids)
     * @param referenceIds per triplet, the gallery id of its reference image (left out), or -1
     */
    public ComposedRecall(VectorIndex gallery, long[] referenceIds) {
        this.gallery = Objects.requireNonNull(gallery, "gallery");
        this.referenceIds = referenceIds.clone();
    }

    /** Recall at each of {@code ks} (ascending), for the composer at the given text weight. */
    public double[] recall(ComposedTriplets triplets, QueryComposer composer, double weight, int... ks) {
        if (triplets.size() != referenceIds.length) {
            throw new IllegalArgumentException(triplets.size() + " triplets but " + referenceIds.length + " reference ids");
        }
        int maxK = Arrays.stream(ks).max().orElseThrow();
        long[] hits = new long[ks.length];
        for (int i = 0; i < triplets.size(); i++) {
            float[] q = composer.compose(triplets.references()[i], triplets.texts()[i], weight);
            List<ScoredId> top = gallery.search(q, maxK + 1);
            int rank = 0;
            int found = -1;
            for (ScoredId s : top) {
                if (s.id() == referenceIds[i]) {
                    continue;
                }
                if (s.id() == triplets.targetIds()[i]) {
                    found = rank;
                    break;
                }
                rank++;
            }
            for (int k = 0; k < ks.length; k++) {
                if (found >= 0 && found < ks[k]) {
                    hits[k]++;
                }
            }
        }
        double[] out = new double[ks.length];
        for (int k = 0; k < ks.length; k++) {
            out[k] = triplets.size() == 0 ? 0 : hits[k] / (double) triplets.size();
        }
        return out;
    }
}
