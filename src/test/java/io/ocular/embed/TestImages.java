package io.ocular.embed;

import io.ocular.testing.SharedData;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Images for encoder tests: synthetic ones, and decoded ones from the shared data sets. */
final class TestImages {
    private TestImages() {
    }

    static BufferedImage read(Path p) {
        try {
            BufferedImage img = ImageIO.read(p.toFile());
            if (img == null) {
                throw new IllegalStateException("not an image: " + p);
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** corel1k image {@code images/<class>/<id>.jpg}, skipping the test when the data set is absent. */
    static BufferedImage corel(String cls, int id) {
        return read(SharedData.dataset("corel1k").resolve("images/" + cls + "/" + id + ".jpg"));
    }

    static BufferedImage ukbench(int id) {
        return read(SharedData.dataset("ukbench56").resolve(String.format("images/ukbench%05d.jpg", id)));
    }

    /** A deterministic random picture of coloured rectangles and ellipses. */
    static BufferedImage synthetic(int width, int height, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(r.nextInt(0xFFFFFF)));
        g.fillRect(0, 0, width, height);
        for (int i = 0; i < 12; i++) {
            g.setColor(new Color(r.nextInt(0xFFFFFF)));
            int x = r.nextInt(width);
            int y = r.nextInt(height);
            int w = 1 + r.nextInt(width / 2);
            int h = 1 + r.nextInt(height / 2);
            if (r.nextBoolean()) {
                g.fillRect(x, y, w, h);
            } else {
                g.fillOval(x, y, w, h);
            }
        }
        g.dispose();
        return img;
    }

    /** Every image path listed in a data set's groundtruth.tsv (first column) with its label (second). */
    static List<String[]> groundTruth(Path dataset) {
        try {
            List<String[]> rows = new ArrayList<>();
            List<String> lines = Files.readAllLines(dataset.resolve("groundtruth.tsv"));
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    rows.add(line.split("\t"));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
