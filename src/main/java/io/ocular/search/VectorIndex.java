package io.ocular.search;

import io.ocular.model.ScoredId;

import java.util.ArrayList;
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

    /**
     * Adds or replaces the vectors of a batch ({@code vectors.get(i)} belongs to {@code ids.get(i)}). Indexes that
     * lock implement it with one write lock for the whole batch: the indexing writer then waits for a running
     * search once per batch, not once per photo. This default adds one by one.
     */
    default void addBatch(List<Long> ids, List<float[]> vectors) {
        VectorMath.requireSameSize(ids, vectors);
        for (int i = 0; i < ids.size(); i++) {
            add(ids.get(i), vectors.get(i));
        }
    }

    /** Removes {@code id}; returns whether it was present. */
    boolean remove(long id);

    /** The {@code k} most similar ids, best first. */
    List<ScoredId> search(float[] query, int k);

    /**
     * The {@code k} most similar ids the filter allows, best first: exactly {@code k} when the index holds that
     * many allowed ids (an approximate index: as many as its search reaches), so callers need not over-fetch.
     *
     * <p>This default asks {@link #search(float[], int)} for more and more candidates (2k + 16, then four
     * times as many each round, up to the whole index) until {@code k} allowed ones are among them; an index
     * that can skip disallowed ids while it scans overrides it.
     */
    default List<ScoredId> search(float[] query, int k, SearchFilter filter) {
        if (filter.allowsAll()) {
            return search(query, k);
        }
        if (k < 0) {
            throw new IllegalArgumentException("k must not be negative: " + k);
        }
        int n = size();
        if (k == 0 || n == 0) {
            return List.of();
        }
        int want = (int) Math.min(n, 2L * k + 16);
        while (true) {
            List<ScoredId> found = search(query, want);
            List<ScoredId> kept = new ArrayList<>(Math.min(k, found.size()));
            for (ScoredId s : found) {
                if (filter.allows(s.id())) {
                    kept.add(s);
                    if (kept.size() == k) {
                        return kept;
                    }
                }
            }
            if (found.size() < want || want >= n) {
                return kept; // the index has nothing more to offer
            }
            want = (int) Math.min(n, 4L * want);
        }
    }
}
