package io.ocular.embed;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Turns decoded images into L2-normalised vectors of one model. Implementations are thread-safe
 * (e.g. one DJL Predictor per thread) and batch for real: one call runs the batch through the model once.
 */
public interface ImageEncoder extends AutoCloseable {

    /** Id of the model whose vectors this produces (the catalog key). */
    String modelId();

    /** Vector length. */
    int dimension();

    /**
     * Shorter side, in pixels, the encoder wants its input decoded to (the decoder subsamples large
     * photos straight to about this size instead of decoding them at full resolution).
     */
    int preferredShortSide();

    /**
     * Embeds a batch of RGB images (already EXIF-oriented). Returns one L2-normalised vector per image,
     * in order.
     *
     * @throws io.ocular.model.OcularException when the model fails; the message says why
     */
    float[][] encode(List<BufferedImage> images);

    @Override
    void close();
}
