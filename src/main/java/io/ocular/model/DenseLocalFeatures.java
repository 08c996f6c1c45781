package io.ocular.model;

/**
 * Dense local features of one image, as produced by a CNN over an image pyramid, in original-image
 * coordinates. Feature {@code i} sits at ({@code x[i]}, {@code y[i]}) original pixels, was computed at pyramid
 * scale {@code scale[i]} (input pixels per original pixel), has the feature-map L2 norm {@code norm[i]} and the
 * raw (not normalised) descriptor {@code descriptors[i * dim .. (i + 1) * dim)}.
 *
 * <p>Also carries the image-level descriptor computed from the same forward pass (L2-normalised), so a
 * caller that needs both pays for one network run.
 *
 * @param width  original image width in pixels
 * @param height original image height in pixels
 * @param global L2-normalised global descriptor, or an empty array when the extractor gives none
 */
public record DenseLocalFeatures(int width, int height, int dim, float[] x, float[] y, float[] scale,
                                 float[] norm, float[] descriptors, float[] global) {

    public DenseLocalFeatures {
        int n = x.length;
        if (y.length != n || scale.length != n || norm.length != n || descriptors.length != n * dim) {
            throw new IllegalArgumentException("inconsistent dense feature arrays: n=" + n + ", dim=" + dim);
        }
    }

    public int count() {
        return x.length;
    }

    /** No local features (image too small or degenerate); callers fall back to the global score. */
    public static DenseLocalFeatures empty(int width, int height, int dim, float[] global) {
        return new DenseLocalFeatures(width, height, dim, new float[0], new float[0], new float[0], new float[0],
                new float[0], global);
    }
}
