package io.ocular.eval;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

/** Photometric and geometric edits that make instance-level copies of a photo (for evaluation only). */
final class InstanceTransforms {
    private InstanceTransforms() {
    }

    static BufferedImage crop(BufferedImage img, Random r) {
        double fw = 0.6 + 0.25 * r.nextDouble();
        double fh = 0.6 + 0.25 * r.nextDouble();
        int w = Math.max(8, (int) (img.getWidth() * fw));
        int h = Math.max(8, (int) (img.getHeight() * fh));
        int x = r.nextInt(img.getWidth() - w + 1);
        int y = r.nextInt(img.getHeight() - h + 1);
        return copy(img.getSubimage(x, y, w, h));
    }

    static BufferedImage rotate(BufferedImage img, Random r) {
        double deg = (8 + 17 * r.nextDouble()) * (r.nextBoolean() ? 1 : -1);
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setTransform(AffineTransform.getRotateInstance(Math.toRadians(deg), img.getWidth() / 2.0, img.getHeight() / 2.0));
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    static BufferedImage scale(BufferedImage img, Random r) {
        double f = 0.45 + 0.3 * r.nextDouble();
        int w = Math.max(8, (int) (img.getWidth() * f));
        int h = Math.max(8, (int) (img.getHeight() * f));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(img, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    static BufferedImage jpeg(BufferedImage img, Random r) {
        float quality = 0.1f + 0.2f * r.nextFloat();
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
                writer.setOutput(out);
                ImageWriteParam p = writer.getDefaultWriteParam();
                p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                p.setCompressionQuality(quality);
                writer.write(null, new IIOImage(copy(img), null, null), p);
            } finally {
                writer.dispose();
            }
            return ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage occlude(BufferedImage img, Random r) {
        BufferedImage out = copy(img);
        Graphics2D g = out.createGraphics();
        int w = (int) (img.getWidth() * (0.3 + 0.15 * r.nextDouble()));
        int h = (int) (img.getHeight() * (0.3 + 0.15 * r.nextDouble()));
        g.setColor(new Color(r.nextInt(256), r.nextInt(256), r.nextInt(256)));
        g.fillRect(r.nextInt(img.getWidth() - w + 1), r.nextInt(img.getHeight() - h + 1), w, h);
        g.dispose();
        return out;
    }

    static BufferedImage colour(BufferedImage img, Random r) {
        double[] gain = {0.7 + 0.6 * r.nextDouble(), 0.7 + 0.6 * r.nextDouble(), 0.7 + 0.6 * r.nextDouble()};
        double desat = 0.5 * r.nextDouble();
        int bias = r.nextInt(41) - 20;
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int p = img.getRGB(x, y);
                int[] c = {(p >> 16) & 0xFF, (p >> 8) & 0xFF, p & 0xFF};
                double grey = 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    double v = ((1 - desat) * c[k] + desat * grey) * gain[k] + bias;
                    rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(v)));
                }
                out.setRGB(x, y, rgb);
            }
        }
        return out;
    }

    static BufferedImage copy(BufferedImage img) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(img, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Index copy A of a source: crop then heavy JPEG. */
    static BufferedImage indexA(BufferedImage img, Random r) {
        return jpeg(crop(img, r), r);
    }

    /** Index copy B of a source: downscale then colour change. */
    static BufferedImage indexB(BufferedImage img, Random r) {
        return colour(scale(img, r), r);
    }

    /** The query copy: rotation and occlusion plus one of crop/scale/colour, varying by source. */
    static BufferedImage query(BufferedImage img, Random r, int variant) {
        BufferedImage q = rotate(img, r);
        q = switch (variant % 3) {
            case 0 -> crop(q, r);
            case 1 -> scale(q, r);
            default -> colour(q, r);
        };
        return occlude(q, r);
    }
}
