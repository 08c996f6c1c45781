package io.ocular.index;

import java.awt.image.BufferedImage;
import java.time.Instant;

/**
 * An image decoded at working size.
 *
 * @param image       RGB ({@code TYPE_INT_RGB}), EXIF orientation applied, at most the requested size
 * @param width       full-resolution width after orientation (what the user sees)
 * @param height      full-resolution height after orientation
 * @param orientation EXIF orientation 1..8 that was applied (1 when absent)
 * @param takenAt     EXIF date taken, or null
 * @param subsampling the source subsampling factor the decoder read with (1 = every pixel)
 */
public record DecodedImage(BufferedImage image, int width, int height, int orientation, Instant takenAt,
                           int subsampling) {
}
