package io.ocular.model;

import java.util.List;

/**
 * The answer to a {@link Query}.
 *
 * @param hits         best first
 * @param modelId      the model whose vectors were searched
 * @param micros       time taken
 * @param notice       a message for the user (e.g. "no confident match"), or null
 * @param verification how instance verification went, or null when the search was not verified
 */
public record SearchResult(List<SearchHit> hits, String modelId, long micros, String notice,
                           Verification verification) {
    public SearchResult {
        hits = List.copyOf(hits);
    }

    /** An unverified result. */
    public SearchResult(List<SearchHit> hits, String modelId, long micros, String notice) {
        this(hits, modelId, micros, notice, null);
    }
}
