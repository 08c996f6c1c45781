package io.ocular.embed;

import io.ocular.model.DenseLocalFeatures;

import java.awt.image.BufferedImage;

/**
 * Computes dense local features (and the global descriptor of the same forward pass) of one image.
 * Implementations are thread-safe. Images too small or too thin for the network give an empty feature set,
 * never an exception; a model failure is an {@link io.ocular.model.OcularException}.
 */
public interface DenseFeatureExtractor extends AutoCloseable {

    /** Descriptor length of the dense features. */
    int dimension();

    DenseLocalFeatures extract(BufferedImage image);

    @Override
    void close();
}
