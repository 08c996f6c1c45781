package io.ocular.search;

import io.ocular.model.OcularException;

import java.util.Objects;

/**
 * A learned composer: CLIP4Cir's Combiner ({@link CombinerModel}) for one image space. The text weight of the
 * query is not used between its ends (the model learned its own mixing coefficient λ per pair); the search
 * service still answers w = 0 with the image alone and w = 1 with the text alone.
 */
public final class CombinerComposer implements QueryComposer {
    private final CombinerModel model;

    public CombinerComposer(CombinerModel model) {
        this.model = Objects.requireNonNull(model, "model");
    }

    public CombinerModel model() {
        return model;
    }

    @Override
    public float[] compose(float[] image, float[] text, double weight) {
        WeightedSumComposer.requireWeight(weight);
        if (image.length != model.dimension() || text.length != model.dimension()) {
            throw new OcularException("the learned composer was trained for " + model.dimension()
                    + "-dimensional vectors, but the query has " + image.length + "; reset it or train it again"
                    + " for this model");
        }
        return model.combine(image, text);
    }
}
