package io.ocular.search;

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
        int[] src = image.getRGB(0, 0, w, h, null, 0, w);
        int ow = t == 2 ? w : h;
        int oh = t == 2 ? h : w;
        int[] dst = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int nx;
                int ny;
                switch (t) {
                    case 1 -> { // clockwise: (x, y) -> (h - 1 - y, x)
                        nx = h - 1 - y;
                        ny = x;
                    }
                    case 2 -> {
                        nx = w - 1 - x;
                        ny = h - 1 - y;
                    }
                    default -> { // counter-clockwise: (x, y) -> (y, w - 1 - x)
                        nx = y;
                        ny = w - 1 - x;
                    }
                }
                dst[ny * ow + nx] = src[y * w + x];
            }
        }
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, ow, oh, dst, 0, ow);
        return out;
    }

    /** Degrees clockwise for a number of quarter turns. */
    public static int degrees(int turns) {
        return Math.floorMod(turns, 4) * 90;
    }
}
