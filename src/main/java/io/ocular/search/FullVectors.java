package io.ocular.search;

/**
 * Every full-precision vector of a model: what exact search scans and what the compact codes' re-rank reads.
 * Two implementations: {@link ExactIndex} (on the heap, for libraries under {@link IndexPolicy}'s threshold) and
 * {@link MappedVectors} (a memory-mapped file plus a small journal of changes, for large ones — bounded heap).
 */
public interface FullVectors extends VectorIndex, VectorSource {

    @Override
    int dimension();

    /** The stored ids, in no particular order. */
    long[] ids();

    /** A copy of the stored vector of {@code id}, or null. */
    float[] vector(long id);

    boolean contains(long id);

    /**
     * The vectors as they are now, numbered, for training and encoding compact codes; later writes do not show
     * in it. Never a copy of all n·dim floats for the mapped tier.
     */
    VectorRows snapshot();
}
