package io.ocular.embed;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;

/**
 * Resizes decoded images to an encoder's input size, as packed RGB ints. Large reductions go down in
 * halving steps (each step bilinear) so they average all pixels instead of aliasing; enlargements and
 * small reductions are one bilinear step. Deterministic: the same image always gives the same pixels.
 * Plain Java2D suffices here; no imaging library is needed for one resize per image.
 */
public final class ImageResampler {
    private ImageResampler() {
    }

    /**
     * The image made smaller, in halving steps, until its shorter side is at most twice {@code shortSide}, then one
     * bilinear step to {@code shortSide} (a new {@code TYPE_INT_RGB} image); the image itself when it is no larger.
     * Lets a caller shrink a photo once before making several copies of it (e.g. turned query views) that an
     * encoder embeds at that size ({@code ImageEncoder.encode(images, shortSide)}).
     */
    public static BufferedImage shrunk(BufferedImage image, int shortSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        int shorter = Math.min(w, h);
        if (shortSide < 1 || shorter <= shortSide) {
            return image;
        }
        BufferedImage current = image;
        while (Math.min(w, h) / 2 >= shortSide) {
            w /= 2;
            h /= 2;
            current = draw(current, w, h);
        }
        double scale = (double) shortSide / Math.min(w, h);
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        return tw == w && th == h ? current : draw(current, tw, th);
    }

    /**
     * The image resized to exactly {@code width x height}, as {@code 0xRRGGBB} ints in row-major order. A packed-RGB
     * image already of that size (e.g. from {@link #packed}) is returned as it is (no copy; callers only read it).
     */
    static int[] resizeToRgb(BufferedImage image, int width, int height) {
        if (image.getWidth() == width && image.getHeight() == height) {
            int[] own = ownPixels(image);
            if (own != null) {
                return own;
            }
        }
        BufferedImage current = image;
        int cw = image.getWidth();
        int ch = image.getHeight();
        while (cw / 2 >= width && ch / 2 >= height) {
            cw /= 2;
            ch /= 2;
            current = draw(current, cw, ch);
        }
        if (current == image || current.getType() != BufferedImage.TYPE_INT_RGB || cw != width || ch != height) {
            current = draw(current, width, height);
        }
        // A freshly drawn TYPE_INT_RGB image: its buffer is exactly width*height pixels.
        return ((DataBufferInt) current.getRaster().getDataBuffer()).getData();
    }

    /**
     * Packed RGB pixels ({@code width x height}, row-major) turned {@code turns} × 90° clockwise: a new array, whose
     * width and height are swapped for an odd number of turns. Pixel copies, no interpolation.
     */
    public static int[] turned(int[] rgb, int width, int height, int turns) {
        int t = Math.floorMod(turns, 4);
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("expected " + width + "x" + height + " pixels, got " + rgb.length);
        }
        int ow = t % 2 == 0 ? width : height;
        int[] dst = new int[rgb.length];
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int p = rgb[row + x] & 0xFFFFFF; // packed RGB keeps no alpha
                switch (t) {
                    case 0 -> dst[row + x] = p;
                    case 1 -> dst[x * ow + (height - 1 - y)] = p; // clockwise: (x, y) -> (h - 1 - y, x)
                    case 2 -> dst[(height - 1 - y) * ow + (width - 1 - x)] = p;
                    default -> dst[(width - 1 - x) * ow + y] = p; // counter-clockwise: (x, y) -> (y, w - 1 - x)
                }
            }
        }
        return dst;
    }

    /** Packed RGB pixels as a new {@code TYPE_INT_RGB} image (one array copy). */
    public static BufferedImage packed(int[] rgb, int width, int height) {
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("expected " + width + "x" + height + " pixels, got " + rgb.length);
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        System.arraycopy(rgb, 0, ((DataBufferInt) out.getRaster().getDataBuffer()).getData(), 0, rgb.length);
        return out;
    }

    /** The image's own packed RGB buffer when it is exactly its pixels (not a sub-image), else null. */
    public static int[] ownPixels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_INT_RGB
                && image.getRaster().getDataBuffer() instanceof DataBufferInt buf && buf.getNumBanks() == 1
                && buf.getData().length == w * h && image.getRaster().getSampleModelTranslateX() == 0
                && image.getRaster().getSampleModelTranslateY() == 0
                && image.getRaster().getSampleModel() instanceof SinglePixelPackedSampleModel sm
                && sm.getScanlineStride() == w) {
            return buf.getData();
        }
        return null;
    }

    private static BufferedImage draw(BufferedImage src, int width, int height) {
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = dst.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(src, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return dst;
    }
}
