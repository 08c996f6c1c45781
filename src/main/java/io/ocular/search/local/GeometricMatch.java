package io.ocular.search.local;

/**
 * Correspondences between a query and one candidate after RANSAC, in original-image pixels of each side.
 *
 * @param affine candidate-to-query transform in normalised coordinates, or null
 */
public record GeometricMatch(float[] queryX, float[] queryY, float[] candidateX, float[] candidateY,
                             boolean[] inlier, int inlierCount, double[] affine) {

    public int putativeCount() {
        return queryX.length;
    }

    static GeometricMatch none() {
        return new GeometricMatch(new float[0], new float[0], new float[0], new float[0], new boolean[0], 0, null);
    }
}
