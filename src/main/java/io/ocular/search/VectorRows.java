package io.ocular.search;

import io.ocular.store.EmbeddingMatrix;

/**
 * A fixed, numbered set of vectors to train compact codes on and encode, read one row at a time so that a
 * trainer never needs every vector in one array: an {@link EmbeddingMatrix} in memory or a snapshot of the
 * memory-mapped full-vector tier ({@link MappedVectors#rows()}).
 */
public interface VectorRows {

    int rows();

    int dimension();

    long id(int row);

    /** Copies row {@code row} into {@code dst[off .. off + dimension)}. */
    void copy(int row, float[] dst, int off);

    /** The rows of {@code m}. */
    static VectorRows of(EmbeddingMatrix m) {
        return new VectorRows() {
            @Override
            public int rows() {
                return m.rows();
            }

            @Override
            public int dimension() {
                return m.dimension();
            }

            @Override
            public long id(int row) {
                return m.ids()[row];
            }

            @Override
            public void copy(int row, float[] dst, int off) {
                System.arraycopy(m.data(), row * m.dimension(), dst, off, m.dimension());
            }
        };
    }
}
