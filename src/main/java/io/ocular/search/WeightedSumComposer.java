package io.ocular.search;

import io.ocular.model.OcularException;

/**
 * Zero-shot composition: {@code normalise((1 - w) * image + w * text)}. With CLIP both towers share one
 * space, so the sum moves the image query towards the words; w = 0 is the image alone, w = 1 the text alone.
 */
public final class WeightedSumComposer implements QueryComposer {

    @Override
    public float[] compose(float[] image, float[] text, double weight) {
        requireWeight(weight);
        if (image.length != text.length) {
            throw new IllegalArgumentException("image and text vectors differ in length: " + image.length + " vs "
                    + text.length);
        }
        float wi = (float) (1 - weight);
        float wt = (float) weight;
        float[] out = new float[image.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = wi * image[i] + wt * text[i];
        }
        double norm = VectorMath.l2normReference(out);
        if (norm < 1e-6) {
            // Opposite vectors at w = 0.5 cancel; fall back to the image rather than search with noise.
            return VectorMath.normalise(image);
        }
        VectorMath.normaliseInPlace(out);
        return out;
    }

    /** Rejects weights outside [0, 1] (and NaN) with a message for the user. */
    static void requireWeight(double weight) {
        if (!(weight >= 0 && weight <= 1)) {
            throw new OcularException("the text weight of a composed query must be between 0 (image only) "
                    + "and 1 (text only), but was " + weight);
        }
    }
}
