package io.ocular.search;

/**
 * Combines a reference image vector and a modification text vector into one query vector (composed image
 * retrieval: "this, but in red"). The zero-shot {@link WeightedSumComposer} is the default; a learned
 * combiner (CLIP4Cir) implements the same interface.
 */
public interface QueryComposer {

    /**
     * @param image  the L2-normalised reference image vector
     * @param text   the L2-normalised modification text vector (same space and length)
     * @param weight 0 = image only .. 1 = text only; a learned combiner may ignore it
     * @return an L2-normalised query vector
     */
    float[] compose(float[] image, float[] text, double weight);
}
