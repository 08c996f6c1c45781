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

    /**
     * Whether {@link #encode(List, int)} really embeds at the size asked for (fully convolutional encoders with
     * global pooling); false for encoders with a fixed input size, which ignore it.
     */
    default boolean takesAnySize() {
        return false;
    }

    /**
     * Embeds a batch at a smaller network input: each image scaled so its shorter side is about
     * {@code shortSide} pixels instead of {@link #preferredShortSide()} (fully convolutional encoders with global
     * pooling take any size and cost about the square of the side; rotation handling embeds its turned query
     * views this way). Encoders with a fixed input size ignore it and embed as {@link #encode(List)} does.
     *
     * @param shortSide shorter side of the network input, at least 32
     * @throws io.ocular.model.OcularException when the model fails; the message says why
     */
    default float[][] encode(List<BufferedImage> images, int shortSide) {
        if (shortSide < 32) {
            throw new IllegalArgumentException("input side must be at least 32 pixels (got " + shortSide + ")");
        }
        return encode(images);
    }

    @Override
    void close();
}
