package io.ocular.search.local;

import io.ocular.model.DenseLocalFeatures;

/** Keypoints by a learned attention score ({@link AttentionMlp}) on the frozen dense features. */
public final class AttentionKeypointSelector implements KeypointSelector {
    private final AttentionMlp mlp;

    public AttentionKeypointSelector(AttentionMlp mlp) {
        this.mlp = mlp;
    }

    @Override
    public String name() {
        return "attention";
    }

    @Override
    public float[] scores(DenseLocalFeatures features) {
        if (features.dim() != mlp.inputDimension()) {
            throw new IllegalArgumentException("attention expects " + mlp.inputDimension() + "-d features, got "
                    + features.dim());
        }
        int n = features.count();
        float[] s = new float[n];
        float[] d = features.descriptors();
        for (int i = 0; i < n; i++) {
            s[i] = mlp.score(d, i * features.dim());
        }
        return s;
    }
}
