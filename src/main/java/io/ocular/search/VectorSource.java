package io.ocular.search;

/**
 * Full-precision vectors by id, for exact re-ranking of compact-code candidates. Implementations: an
 * {@link ExactIndex} (in memory) or a {@link MappedVectorFile} (memory-mapped, paged in by the OS).
 * Thread-safe for concurrent reads.
 */
public interface VectorSource {

    int dimension();

    /** The inner product of {@code query} with the stored vector of {@code id}, or NaN if it is not stored. */
    float dot(long id, float[] query);
}
