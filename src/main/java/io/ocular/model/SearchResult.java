package io.ocular.model;

import java.util.List;

/**
 * The answer to a {@link Query}.
 *
 * @param hits     best first
 * @param modelId  the model whose vectors were searched
 * @param micros   time taken
 * @param notice   a message for the user (e.g. "no confident match"), or null
 */
public record SearchResult(List<SearchHit> hits, String modelId, long micros, String notice) {
    public SearchResult {
        hits = List.copyOf(hits);
    }
}
