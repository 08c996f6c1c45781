package io.ocular.search.local;

import java.util.Random;

/** Synthetic local features for tests. */
final class Fixtures {
    private Fixtures() {
    }

    static LocalFeatures random(int n, int dim, int width, int height, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n], y = new float[n], s = new float[n], d = new float[n * dim];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * width;
            y[i] = r.nextFloat() * height;
            s[i] = 1f;
            for (int k = 0; k < dim; k++) {
                d[i * dim + k] = (float) r.nextGaussian();
            }
            LocalFeatureCompressor.normalise(d, i * dim, dim);
        }
        return new LocalFeatures(width, height, dim, x, y, s, d);
    }

    /**
     * The first {@code shared} features of {@code src} moved by a similarity transform (scale 0.8, 10 degrees,
     * shift) with slightly perturbed descriptors, plus {@code extra} unrelated features.
     */
    static LocalFeatures transformed(LocalFeatures src, int shared, int extra, long seed) {
        Random r = new Random(seed);
        int dim = src.dim();
        int n = shared + extra;
        float[] x = new float[n], y = new float[n], s = new float[n], d = new float[n * dim];
        double c = Math.cos(Math.toRadians(10)) * 0.8, sn = Math.sin(Math.toRadians(10)) * 0.8;
        for (int i = 0; i < shared; i++) {
            x[i] = (float) (c * src.x()[i] - sn * src.y()[i] + 30);
            y[i] = (float) (sn * src.x()[i] + c * src.y()[i] + 10);
            s[i] = 1f;
            for (int k = 0; k < dim; k++) {
                d[i * dim + k] = src.descriptors()[i * dim + k] + (float) r.nextGaussian() * 0.03f;
            }
            LocalFeatureCompressor.normalise(d, i * dim, dim);
        }
        LocalFeatures other = random(extra, dim, src.width(), src.height(), seed + 100);
        System.arraycopy(other.x(), 0, x, shared, extra);
        System.arraycopy(other.y(), 0, y, shared, extra);
        System.arraycopy(other.scale(), 0, s, shared, extra);
        System.arraycopy(other.descriptors(), 0, d, shared * dim, extra * dim);
        return new LocalFeatures(src.width(), src.height(), dim, x, y, s, d);
    }
}
