package io.ocular.search;

import io.ocular.embed.ImageResampler;

import java.awt.image.BufferedImage;

/**
 * Rotations of a decoded image by multiples of 90° (photos shot sideways without an EXIF orientation). Pixel
 * copies, no interpolation, so the rotated image holds exactly the same pixels.
 */
public final class QuarterTurns {
    /** 0°, 90°, 180°, 270° clockwise. */
    public static final int[] ALL = {0, 1, 2, 3};

    private QuarterTurns() {
    }

    /** {@code image} turned {@code turns} × 90° clockwise (a new image; the same one for 0 turns). */
    public static BufferedImage rotate(BufferedImage image, int turns) {
        int t = Math.floorMod(turns, 4);
        if (t == 0) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        // a packed-RGB image (a decoded or resized photo) is read from its buffer: getRGB/setRGB convert every
        // pixel through the colour model, which cost more than the small turned views' resizing (0115, Amendment 7)
        int[] own = ImageResampler.ownPixels(image);
        int[] src = own != null ? own : image.getRGB(0, 0, w, h, null, 0, w);
        return ImageResampler.packed(ImageResampler.turned(src, w, h, t), t == 2 ? w : h, t == 2 ? h : w);
    }

    /** Degrees clockwise for a number of quarter turns. */
    public static int degrees(int turns) {
        return Math.floorMod(turns, 4) * 90;
    }
}
