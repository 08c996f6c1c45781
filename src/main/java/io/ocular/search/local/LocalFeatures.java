package io.ocular.search.local;

/**
 * Selected, compressed local features of one image: positions in original-image pixels, pyramid scale, and
 * L2-normalised PCA-reduced descriptors ({@code descriptors[i * dim .. (i + 1) * dim)}).
 *
 * @param width  original image width
 * @param height original image height
 */
public record LocalFeatures(int width, int height, int dim, float[] x, float[] y, float[] scale,
                            float[] descriptors) {

    public LocalFeatures {
        int n = x.length;
        if (y.length != n || scale.length != n || descriptors.length != n * dim) {
            throw new IllegalArgumentException("inconsistent local feature arrays: n=" + n + ", dim=" + dim);
        }
    }

    public int count() {
        return x.length;
    }

    public static LocalFeatures empty(int width, int height, int dim) {
        return new LocalFeatures(width, height, dim, new float[0], new float[0], new float[0], new float[0]);
    }
}
