package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;

/** Keypoints by feature-map L2 norm: strong activations mark distinctive structure (the DELF baseline). */
public final class NormKeypointSelector implements KeypointSelector {

    @Override
    public String name() {
        return "norm";
    }

    @Override
    public float[] scores(DenseLocalFeatures features) {
        return features.norm().clone();
    }
}
