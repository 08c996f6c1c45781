package io.ocular.embed;

import io.ocular.model.ModelInfo;
import io.ocular.model.ModelKind;
import io.ocular.model.OcularException;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * The built-in hand-crafted global descriptor ({@value #MODEL_ID}): needs no model file, so a fresh
 * install can index and search at once; a downloaded/imported network replaces it for quality.
 *
 * <p>The image is resized so its longer side is {@value #WORK_SIDE} px (aspect kept). Three families of
 * histograms, each over the whole image and its 2x2 grid (5 regions):
 * <ul>
 *   <li><b>colour</b>: HSV, hue in 12 soft bins x 2 saturation x 2 value levels for chromatic pixels, plus
 *       4 soft grey levels for achromatic ones (52 bins per region);</li>
 *   <li><b>gradients</b>: orientation (unsigned, 9 soft bins) weighted by magnitude, plus the share of
 *       pixels in 4 gradient-strength bands (13 bins per region);</li>
 *   <li><b>texture</b>: uniform local binary patterns (8 neighbours, radius 1): the 59 uniform codes over
 *       the whole image and the 10 rotation-invariant ones per grid cell.</li>
 * </ul>
 * Every block is L1-normalised, square-rooted (Hellinger / "power" normalisation, so cosine between
 * vectors compares distributions fairly) and weighted by family; the whole vector is then L2-normalised.
 * Dimension {@value #DIMENSION}. Deterministic and thread-safe (no shared mutable state).
 */
public final class BuiltinDescriptor implements ImageEncoder {
    public static final String MODEL_ID = "builtin-v1";
    public static final String NAME = "Built-in colour, edge and texture descriptor";
    static final int WORK_SIDE = 128;

    private static final int HUE_BINS = 12;
    private static final int GREY_BINS = 4;
    private static final int COLOUR_BINS = HUE_BINS * 4 + GREY_BINS;
    private static final int ORIENT_BINS = 9;
    private static final int STRENGTH_BINS = 4;
    private static final int GRAD_BINS = ORIENT_BINS + STRENGTH_BINS;
    private static final int LBP_U2_BINS = 59;
    private static final int LBP_RIU2_BINS = 10;
    private static final int REGIONS = 5;
    public static final int DIMENSION = REGIONS * COLOUR_BINS + REGIONS * GRAD_BINS + LBP_U2_BINS + 4 * LBP_RIU2_BINS;

    /** Family weights (each family's share of the squared norm is proportional to its weight squared). */
    record Weights(float colour, float gradient, float texture) {
    }

    static final Weights WEIGHTS = new Weights(1.0f, 2.0f, 2.0f);
    /** Gradient magnitude (0..255 grey scale, central differences) bounds of the strength bands. */
    private static final float[] STRENGTH_EDGES = {8f, 24f, 64f};

    private static final int[] U2 = uniformTable(false);
    private static final int[] RIU2 = uniformTable(true);

    @Override
    public String modelId() {
        return MODEL_ID;
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public int preferredShortSide() {
        return WORK_SIDE;
    }

    /** Catalog identity: a version tag instead of a file checksum. */
    public static ModelInfo info() {
        return new ModelInfo(MODEL_ID, NAME, ModelKind.IMAGE, DIMENSION, MODEL_ID);
    }

    @Override
    public float[][] encode(List<BufferedImage> images) {
        float[][] out = new float[images.size()][];
        for (int i = 0; i < out.length; i++) {
            BufferedImage img = images.get(i);
            if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
                throw new OcularException("Cannot encode image " + i + " of the batch: it is missing or empty.");
            }
            out[i] = describe(img);
        }
        return out;
    }

    @Override
    public void close() {
        // nothing to release
    }

    /** The descriptor of one image. */
    static float[] describe(BufferedImage image) {
        return describe(image, WEIGHTS);
    }

    static float[] describe(BufferedImage image, Weights weights) {
        int w0 = image.getWidth();
        int h0 = image.getHeight();
        double s = (double) WORK_SIDE / Math.max(w0, h0);
        int w = Math.max(8, (int) Math.round(w0 * s));
        int h = Math.max(8, (int) Math.round(h0 * s));
        int[] rgb = ImageResampler.resizeToRgb(image, w, h);

        float[] v = new float[DIMENSION];
        float[] grey = new float[w * h];
        int[] regionOf = regionMap(w, h);

        // colour
        float[][] colour = new float[REGIONS][COLOUR_BINS];
        for (int i = 0; i < rgb.length; i++) {
            int p = rgb[i];
            int r = (p >>> 16) & 0xFF;
            int g = (p >>> 8) & 0xFF;
            int b = p & 0xFF;
            grey[i] = 0.299f * r + 0.587f * g + 0.114f * b;
            int cell = regionOf[i];
            addColour(colour[0], r, g, b);
            addColour(colour[cell], r, g, b);
        }

        // gradients (central differences, borders skipped)
        float[][] grad = new float[REGIONS][GRAD_BINS];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                float gx = grey[i + 1] - grey[i - 1];
                float gy = grey[i + w] - grey[i - w];
                float mag = (float) Math.sqrt(gx * gx + gy * gy);
                int cell = regionOf[i];
                addGradient(grad[0], gx, gy, mag);
                addGradient(grad[cell], gx, gy, mag);
            }
        }

        // texture: LBP(8,1)
        float[] u2 = new float[LBP_U2_BINS];
        float[][] riu2 = new float[4][LBP_RIU2_BINS];
        for (int y = 1; y < h - 1; y++) {
            for (int x = 1; x < w - 1; x++) {
                int i = y * w + x;
                float c = grey[i];
                int code = (grey[i - w - 1] >= c ? 1 : 0)
                        | (grey[i - w] >= c ? 2 : 0)
                        | (grey[i - w + 1] >= c ? 4 : 0)
                        | (grey[i + 1] >= c ? 8 : 0)
                        | (grey[i + w + 1] >= c ? 16 : 0)
                        | (grey[i + w] >= c ? 32 : 0)
                        | (grey[i + w - 1] >= c ? 64 : 0)
                        | (grey[i - 1] >= c ? 128 : 0);
                u2[U2[code]]++;
                riu2[regionOf[i] - 1][RIU2[code]]++;
            }
        }

        int o = 0;
        for (float[] block : colour) {
            o = putBlock(v, o, block, weights.colour() / (float) Math.sqrt(REGIONS));
        }
        for (float[] block : grad) {
            o = putGradientBlock(v, o, block, weights.gradient() / (float) Math.sqrt(REGIONS));
        }
        o = putBlock(v, o, u2, weights.texture() / (float) Math.sqrt(2));
        for (float[] block : riu2) {
            o = putBlock(v, o, block, weights.texture() / (float) Math.sqrt(2) / 2f);
        }
        if (o != DIMENSION) {
            throw new IllegalStateException("descriptor layout " + o + " != " + DIMENSION);
        }
        return Vectors.l2Normalise(v);
    }

    /** Region index 1..4 (2x2 grid, row-major) of every pixel. */
    private static int[] regionMap(int w, int h) {
        int[] map = new int[w * h];
        for (int y = 0; y < h; y++) {
            int row = y < h / 2 ? 0 : 1;
            for (int x = 0; x < w; x++) {
                map[y * w + x] = 1 + row * 2 + (x < w / 2 ? 0 : 1);
            }
        }
        return map;
    }

    private static void addColour(float[] hist, int r, int g, int b) {
        int max = Math.max(r, Math.max(g, b));
        int min = Math.min(r, Math.min(g, b));
        float val = max / 255f;
        float sat = max == 0 ? 0 : (max - min) / (float) max;
        if (sat < 0.2f || val < 0.15f) {
            float t = val * (GREY_BINS - 1);
            int b0 = Math.min(GREY_BINS - 2, (int) t);
            float f = t - b0;
            hist[HUE_BINS * 4 + b0] += 1 - f;
            hist[HUE_BINS * 4 + b0 + 1] += f;
            return;
        }
        float hue; // 0..6
        float d = max - min;
        if (max == r) {
            hue = (g - b) / d;
            if (hue < 0) {
                hue += 6;
            }
        } else if (max == g) {
            hue = 2 + (b - r) / d;
        } else {
            hue = 4 + (r - g) / d;
        }
        float hb = hue * (HUE_BINS / 6f) - 0.5f;
        int h0 = (int) Math.floor(hb);
        float f = hb - h0;
        h0 = Math.floorMod(h0, HUE_BINS);
        int h1 = (h0 + 1) % HUE_BINS;
        int sv = (sat < 0.55f ? 0 : 2) + (val < 0.6f ? 0 : 1);
        hist[h0 * 4 + sv] += 1 - f;
        hist[h1 * 4 + sv] += f;
    }

    private static void addGradient(float[] hist, float gx, float gy, float mag) {
        int band = 0;
        while (band < STRENGTH_EDGES.length && mag >= STRENGTH_EDGES[band]) {
            band++;
        }
        hist[ORIENT_BINS + band]++;
        if (mag < 1e-3f) {
            return;
        }
        double angle = Math.atan2(gy, gx);
        if (angle < 0) {
            angle += Math.PI;
        }
        float ob = (float) (angle / Math.PI * ORIENT_BINS) - 0.5f;
        int o0 = (int) Math.floor(ob);
        float f = ob - o0;
        o0 = Math.floorMod(o0, ORIENT_BINS);
        hist[o0] += mag * (1 - f);
        hist[(o0 + 1) % ORIENT_BINS] += mag * f;
    }

    /** Orientation part and strength part are two distributions: normalise each, then the pair. */
    private static int putGradientBlock(float[] v, int o, float[] block, float weight) {
        float[] orient = Arrays.copyOfRange(block, 0, ORIENT_BINS);
        float[] strength = Arrays.copyOfRange(block, ORIENT_BINS, GRAD_BINS);
        o = putBlock(v, o, orient, weight * 0.8f);
        return putBlock(v, o, strength, weight * 0.6f);
    }

    /** Writes sqrt(L1-normalised block) * weight at offset o; returns the next offset. */
    private static int putBlock(float[] v, int o, float[] block, float weight) {
        double sum = 0;
        for (float x : block) {
            sum += x;
        }
        for (int i = 0; i < block.length; i++) {
            v[o + i] = sum > 0 ? (float) Math.sqrt(block[i] / sum) * weight : 0f;
        }
        return o + block.length;
    }

    /**
     * LBP code → bin. Uniform codes (at most 2 circular 0/1 transitions): {@code u2} gives each of the 58
     * its own bin and all others bin 58; {@code riu2} bins by the number of ones (0..8), others bin 9.
     */
    private static int[] uniformTable(boolean rotationInvariant) {
        int[] table = new int[256];
        int next = 0;
        for (int code = 0; code < 256; code++) {
            int transitions = Integer.bitCount((code ^ ((code >>> 1) | ((code & 1) << 7))) & 0xFF);
            boolean uniform = transitions <= 2;
            if (rotationInvariant) {
                table[code] = uniform ? Integer.bitCount(code) : 9;
            } else {
                table[code] = uniform ? next++ : 58;
            }
        }
        return table;
    }
}
