package io.ocular.search;

import io.ocular.embed.ImageEncoder;
import io.ocular.embed.TextEncoder;
import io.ocular.model.OcularException;

import java.awt.image.BufferedImage;
import java.util.List;

/** Tiny deterministic encoders in a 4-d space whose axes are red, green, blue and "other". */
final class FakeEncoders {
    static final String MODEL = "fake-clip";

    private FakeEncoders() {
    }

    /** The mean colour of the image plus a small constant on the fourth axis, normalised. */
    static final class Image implements ImageEncoder {
        @Override public String modelId() { return MODEL; }
        @Override public int dimension() { return 4; }
        @Override public int preferredShortSide() { return 32; }

        @Override
        public float[][] encode(List<BufferedImage> images) {
            float[][] out = new float[images.size()][];
            for (int n = 0; n < images.size(); n++) {
                BufferedImage im = images.get(n);
                double r = 0, g = 0, b = 0;
                for (int y = 0; y < im.getHeight(); y++) {
                    for (int x = 0; x < im.getWidth(); x++) {
                        int p = im.getRGB(x, y);
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                out[n] = VectorMath.normalise(new float[]{(float) r, (float) g, (float) b, 0.01f * (float) (r + g + b)});
            }
            return out;
        }

        @Override public void close() { }
    }

    /** Colour words map to their axis; any other word to the fourth axis. */
    static final class Text implements TextEncoder {
        @Override public String modelId() { return MODEL; }
        @Override public int dimension() { return 4; }

        @Override
        public float[][] encodeText(List<String> texts) {
            float[][] out = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                String t = texts.get(i).strip().toLowerCase();
                if (t.isEmpty()) {
                    throw new OcularException("blank text");
                }
                int axis = t.contains("red") ? 0 : t.contains("green") ? 1 : t.contains("blue") ? 2 : 3;
                out[i] = new float[4];
                out[i][axis] = 1f;
            }
            return out;
        }

        @Override public void close() { }
    }
}
