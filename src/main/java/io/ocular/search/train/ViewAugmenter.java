package io.ocular.search.train;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.util.Random;

/**
 * The augmentations SPQ (and SimCLR before it) learns invariance to: random resized crop, horizontal flip,
 * colour jitter (brightness, contrast, saturation), random greyscale and Gaussian blur. Plain Java2D on
 * decoded photos; deterministic for a given {@link Random}.
 */
public final class ViewAugmenter {
    private final int outputSize;

    /** @param outputSize side of the square view handed to the encoder */
    public ViewAugmenter(int outputSize) {
        this.outputSize = outputSize;
    }

    public BufferedImage augment(BufferedImage src, Random rnd) {
        int w = src.getWidth();
        int h = src.getHeight();
        // random resized crop: area 30%..100%, aspect ratio 3/4..4/3
        double area = w * (double) h * (0.3 + 0.7 * rnd.nextDouble());
        double logRatio = Math.log(3.0 / 4) + rnd.nextDouble() * (Math.log(4.0 / 3) - Math.log(3.0 / 4));
        double ratio = Math.exp(logRatio);
        int cw = (int) Math.min(w, Math.max(1, Math.round(Math.sqrt(area * ratio))));
        int ch = (int) Math.min(h, Math.max(1, Math.round(Math.sqrt(area / ratio))));
        int cx = rnd.nextInt(w - cw + 1);
        int cy = rnd.nextInt(h - ch + 1);
        boolean flip = rnd.nextBoolean();
        BufferedImage out = new BufferedImage(outputSize, outputSize, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        if (flip) {
            g.drawImage(src, outputSize, 0, 0, outputSize, cx, cy, cx + cw, cy + ch, null);
        } else {
            g.drawImage(src, 0, 0, outputSize, outputSize, cx, cy, cx + cw, cy + ch, null);
        }
        g.dispose();
        if (rnd.nextDouble() < 0.8) {
            jitter(out, 1 + (rnd.nextDouble() - 0.5) * 0.8, 1 + (rnd.nextDouble() - 0.5) * 0.8,
                    1 + (rnd.nextDouble() - 0.5) * 0.8);
        }
        if (rnd.nextDouble() < 0.2) {
            jitter(out, 1, 1, 0);
        }
        if (rnd.nextDouble() < 0.5) {
            out = blur(out, 0.1 + rnd.nextDouble() * 1.9);
        }
        return out;
    }

    /** Brightness, contrast and saturation factors (1 = unchanged; saturation 0 = greyscale). */
    static void jitter(BufferedImage img, double brightness, double contrast, double saturation) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = img.getRGB(0, 0, w, h, null, 0, w);
        double mean = 0;
        for (int p : px) {
            mean += luma(p);
        }
        mean /= px.length;
        for (int i = 0; i < px.length; i++) {
            int p = px[i];
            double r = (p >> 16) & 0xFF;
            double gr = (p >> 8) & 0xFF;
            double b = p & 0xFF;
            double l = luma(p);
            r = l + (r - l) * saturation;
            gr = l + (gr - l) * saturation;
            b = l + (b - l) * saturation;
            r = (mean + (r - mean) * contrast) * brightness;
            gr = (mean + (gr - mean) * contrast) * brightness;
            b = (mean + (b - mean) * contrast) * brightness;
            px[i] = (clamp(r) << 16) | (clamp(gr) << 8) | clamp(b);
        }
        img.setRGB(0, 0, w, h, px, 0, w);
    }

    private static double luma(int p) {
        return 0.299 * ((p >> 16) & 0xFF) + 0.587 * ((p >> 8) & 0xFF) + 0.114 * (p & 0xFF);
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    static BufferedImage blur(BufferedImage img, double sigma) {
        int radius = (int) Math.ceil(2 * sigma);
        int size = 2 * radius + 1;
        float[] k = new float[size];
        float sum = 0;
        for (int i = 0; i < size; i++) {
            int d = i - radius;
            k[i] = (float) Math.exp(-d * d / (2 * sigma * sigma));
            sum += k[i];
        }
        for (int i = 0; i < size; i++) {
            k[i] /= sum;
        }
        BufferedImage tmp = new ConvolveOp(new Kernel(size, 1, k), ConvolveOp.EDGE_NO_OP, null).filter(img, null);
        return new ConvolveOp(new Kernel(1, size, k), ConvolveOp.EDGE_NO_OP, null).filter(tmp, null);
    }
}
