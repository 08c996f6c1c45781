package io.ocular.search.local;

import io.ocular.model.OcularException;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Draws query and result side by side (both scaled to the same height) with the verified correspondences
 * as lines (inliers green; optionally rejected putative matches faint red). Pure AWT, headless-safe.
 */
public final class LocalMatchRenderer {
    private final int height;
    private final boolean showOutliers;

    public LocalMatchRenderer(int height, boolean showOutliers) {
        this.height = height;
        this.showOutliers = showOutliers;
    }

    public BufferedImage render(BufferedImage query, BufferedImage result, GeometricMatch match) {
        double sq = height / (double) query.getHeight();
        double sr = height / (double) result.getHeight();
        int wq = Math.max(1, (int) Math.round(query.getWidth() * sq));
        int wr = Math.max(1, (int) Math.round(result.getWidth() * sr));
        int gap = 8;
        BufferedImage out = new BufferedImage(wq + gap + wr, height + 24, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(Color.DARK_GRAY);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(query, 0, 0, wq, height, null);
            g.drawImage(result, wq + gap, 0, wr, height, null);
            g.setStroke(new BasicStroke(1.2f));
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i < match.putativeCount(); i++) {
                    boolean in = match.inlier()[i];
                    if ((pass == 0) == in || (!in && !showOutliers)) {
                        continue; // outliers first (underneath), inliers on top
                    }
                    int x1 = (int) Math.round(match.queryX()[i] * sq);
                    int y1 = (int) Math.round(match.queryY()[i] * sq);
                    int x2 = (int) Math.round(match.candidateX()[i] * sr) + wq + gap;
                    int y2 = (int) Math.round(match.candidateY()[i] * sr);
                    g.setColor(in ? new Color(60, 230, 90) : new Color(230, 60, 60, 90));
                    g.drawLine(x1, y1, x2, y2);
                    if (in) {
                        g.fillOval(x1 - 2, y1 - 2, 5, 5);
                        g.fillOval(x2 - 2, y2 - 2, 5, 5);
                    }
                }
            }
            g.setColor(Color.WHITE);
            g.drawString(match.inlierCount() + " verified of " + match.putativeCount() + " putative matches",
                    6, height + 17);
        } finally {
            g.dispose();
        }
        return out;
    }

    public void renderTo(BufferedImage query, BufferedImage result, GeometricMatch match, Path png) {
        try {
            if (!ImageIO.write(render(query, result, match), "png", png.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new OcularException("Could not write the match picture to " + png + ": " + e.getMessage(), e);
        }
    }
}
