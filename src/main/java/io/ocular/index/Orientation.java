package io.ocular.index;

import java.awt.image.BufferedImage;

/**
 * Applies an EXIF orientation (TIFF tag 274) to a stored image so that it looks as the camera held it.
 * Written as explicit pixel mappings on the (already small) decoded image: each case reads directly from
 * the EXIF definition of where the stored 0th row and 0th column belong.
 */
final class Orientation {
    private Orientation() {
    }

    /** Returns the image as displayed; {@code TYPE_INT_RGB} in, {@code TYPE_INT_RGB} out. */
    static BufferedImage apply(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int[] s = src.getRGB(0, 0, w, h, null, 0, w);
        boolean swap = orientation >= 5;
        int dw = swap ? h : w;
        int dh = swap ? w : h;
        int[] d = new int[dw * dh];
        for (int dy = 0; dy < dh; dy++) {
            for (int dx = 0; dx < dw; dx++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - dx; sy = dy; }          // mirrored horizontally
                    case 3 -> { sx = w - 1 - dx; sy = h - 1 - dy; }  // rotated 180
                    case 4 -> { sx = dx; sy = h - 1 - dy; }          // mirrored vertically
                    case 5 -> { sx = dy; sy = dx; }                  // transposed
                    case 6 -> { sx = dy; sy = h - 1 - dx; }          // needs 90 degrees clockwise
                    case 7 -> { sx = w - 1 - dy; sy = h - 1 - dx; }  // transversed
                    default -> { sx = w - 1 - dy; sy = dx; }         // 8: needs 90 degrees counter-clockwise
                }
                d[dy * dw + dx] = s[sy * w + sx];
            }
        }
        BufferedImage out = new BufferedImage(dw, dh, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, dw, dh, d, 0, dw);
        return out;
    }
}
