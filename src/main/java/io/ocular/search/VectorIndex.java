package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.List;

/**
 * Nearest-neighbour search over the vectors of one model, by cosine similarity (vectors are
 * L2-normalised, so the inner product). Implementations: exact, PQ/OPQ (+ re-rank), ...
 * Thread-safe for concurrent searches; writes may be serialised internally.
 */
public interface VectorIndex {

    int dimension();

    int size();

    /** Adds or replaces the vector of {@code id}. Rejects NaN/Inf and wrong lengths. */
    void add(long id, float[] vector);

    /** Removes {@code id}; returns whether it was present. */
    boolean remove(long id);

    /** The {@code k} most similar ids, best first. */
    List<ScoredId> search(float[] query, int k);
}
