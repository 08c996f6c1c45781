package io.ocular.testing;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Distinct test photos made at test time from the shared photos (never committed): each variant is a crop of a
 * real photo, rotated by a multiple of 90°, resized and re-encoded (JPEG at a random quality, or PNG), with
 * its number stamped into a corner so that no two variants have the same content. Deterministic: variant
 * {@code i} is the same file on every run. Sources are read once, downscaled to {@value #SOURCE_LONG_SIDE} px.
 */
public final class PhotoVariants {
    private static final int SOURCE_LONG_SIDE = 320;
    private final List<BufferedImage> sources;

    private PhotoVariants(List<BufferedImage> sources) {
        this.sources = sources;
    }

    /**
     * Loads up to {@code maxSources} photos from the shared datasets (corel1k first, then the other sets);
     * skips the calling test when none is present.
     */
    public static PhotoVariants fromSharedPhotos(int maxSources) throws IOException {
        List<Path> files = new ArrayList<>();
        for (String set : List.of("corel1k", "albums8", "holidays-dev", "ukbench56")) {
            Path dir = SharedData.root().resolve("data").resolve(set);
            if (!Files.isDirectory(dir) || files.size() >= maxSources) {
                continue;
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
                        .sorted().limit(maxSources - files.size()).forEach(files::add);
            }
        }
        org.junit.jupiter.api.Assumptions.assumeFalse(files.isEmpty(), "no shared photos under " + SharedData.root());
        List<BufferedImage> sources = new ArrayList<>();
        for (Path f : files) {
            BufferedImage img = ImageIO.read(f.toFile());
            if (img != null) {
                sources.add(scale(img, SOURCE_LONG_SIDE));
            }
        }
        return new PhotoVariants(sources);
    }

    public int sources() {
        return sources.size();
    }

    /** Writes variants {@code from} (inclusive) to {@code to} (exclusive) under {@code dir}, 500 per sub-folder. */
    public List<Path> write(Path dir, int from, int to) throws IOException {
        List<Path> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(write(dir, i));
        }
        return out;
    }

    /** Writes variant {@code i}; returns its path. */
    public Path write(Path dir, int i) throws IOException {
        SplittableRandom rnd = new SplittableRandom(0x5eed_0000L + i);
        BufferedImage src = sources.get(i % sources.size());
        // crop 55-100% of each side at a random place
        int cw = Math.max(8, (int) (src.getWidth() * (0.55 + 0.45 * rnd.nextDouble())));
        int ch = Math.max(8, (int) (src.getHeight() * (0.55 + 0.45 * rnd.nextDouble())));
        int cx = rnd.nextInt(src.getWidth() - cw + 1);
        int cy = rnd.nextInt(src.getHeight() - ch + 1);
        BufferedImage crop = src.getSubimage(cx, cy, cw, ch);
        int quarterTurns = rnd.nextInt(4);
        int longSide = 96 + rnd.nextInt(161); // 96..256
        BufferedImage img = rotateAndScale(crop, quarterTurns, longSide);
        stamp(img, i);
        boolean png = rnd.nextInt(8) == 0;
        Path file = dir.resolve(String.format(Locale.ROOT, "d%03d", i / 500))
                .resolve(String.format(Locale.ROOT, "v%06d.%s", i, png ? "png" : "jpg"));
        Files.createDirectories(file.getParent());
        if (png) {
            ImageIO.write(img, "png", file.toFile());
        } else {
            writeJpeg(img, 0.6f + 0.35f * (float) rnd.nextDouble(), file);
        }
        return file;
    }

    private static BufferedImage scale(BufferedImage img, int longSide) {
        double s = Math.min(1.0, (double) longSide / Math.max(img.getWidth(), img.getHeight()));
        return rotateAndScale(img, 0, (int) Math.round(Math.max(img.getWidth(), img.getHeight()) * s));
    }

    private static BufferedImage rotateAndScale(BufferedImage img, int quarterTurns, int longSide) {
        double s = (double) longSide / Math.max(img.getWidth(), img.getHeight());
        int w = Math.max(1, (int) Math.round(img.getWidth() * s));
        int h = Math.max(1, (int) Math.round(img.getHeight() * s));
        boolean swap = quarterTurns % 2 == 1;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            AffineTransform t = new AffineTransform();
            t.translate(out.getWidth() / 2.0, out.getHeight() / 2.0);
            t.quadrantRotate(quarterTurns);
            t.translate(-w / 2.0, -h / 2.0);
            t.scale(s, s);
            g.drawImage(img, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The variant number as a row of 20 black/white 2x2 cells: no two variants share their pixels. */
    private static void stamp(BufferedImage img, int i) {
        for (int bit = 0; bit < 20 && 2 * bit + 1 < img.getWidth() && img.getHeight() >= 2; bit++) {
            int rgb = ((i >> bit) & 1) == 1 ? 0xffffff : 0x000000;
            for (int dx = 0; dx < 2; dx++) {
                for (int dy = 0; dy < 2; dy++) {
                    img.setRGB(2 * bit + dx, dy, rgb);
                }
            }
        }
    }

    private static void writeJpeg(BufferedImage img, float quality, Path file) throws IOException {
        Files.deleteIfExists(file); // the stream below would overwrite without truncating
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            ImageWriteParam p = writer.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), p);
        } finally {
            writer.dispose();
        }
    }
}
