package io.ocular.store;

/**
 * Vectors of one model in row-major contiguous memory: row {@code i} is image {@code ids[i]} at
 * {@code data[i * dimension .. (i + 1) * dimension)}.
 */
public record EmbeddingMatrix(String modelId, int dimension, long[] ids, float[] data) {

    public int rows() {
        return ids.length;
    }

    public float[] row(int i) {
        float[] v = new float[dimension];
        System.arraycopy(data, i * dimension, v, 0, dimension);
        return v;
    }
}
