package io.ocular.search;

import java.util.Objects;

/**
 * Training or test data of composed retrieval: for each triplet a reference image vector, a modification text
 * vector and the target image vector ("this photo" + "but at night" → the wanted photo), all of one image space.
 * {@code targetIds} name the target images, so that two triplets with the same target are not each other's
 * negatives in a training batch and so that recall can be measured against a gallery of ids.
 */
public record ComposedTriplets(float[][] references, float[][] texts, float[][] targets, long[] targetIds) {

    public ComposedTriplets {
        Objects.requireNonNull(references, "references");
        Objects.requireNonNull(texts, "texts");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(targetIds, "targetIds");
        int n = references.length;
        if (texts.length != n || targets.length != n || targetIds.length != n) {
            throw new IllegalArgumentException("triplet arrays differ in length: " + n + ", " + texts.length + ", "
                    + targets.length + ", " + targetIds.length);
        }
        int d = n == 0 ? 0 : references[0].length;
        for (int i = 0; i < n; i++) {
            if (references[i].length != d || texts[i].length != d || targets[i].length != d) {
                throw new IllegalArgumentException("triplet " + i + " has vectors of another dimension than " + d);
            }
        }
    }

    public int size() {
        return references.length;
    }

    public int dimension() {
        return references.length == 0 ? 0 : references[0].length;
    }

    /** The triplets at {@code rows}, in that order. */
    public ComposedTriplets subset(int[] rows) {
        float[][] r = new float[rows.length][];
        float[][] t = new float[rows.length][];
        float[][] g = new float[rows.length][];
        long[] ids = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            r[i] = references[rows[i]];
            t[i] = texts[rows[i]];
            g[i] = targets[rows[i]];
            ids[i] = targetIds[rows[i]];
        }
        return new ComposedTriplets(r, t, g, ids);
    }
}
