package io.ocular.model;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link Query}.
 *
 * @param hits         best first
 * @param modelId      the model whose vectors were searched
 * @param micros       time taken
 * @param notice       a message for the user (e.g. "no confident match"), or null
 * @param verification how instance verification went, or null when the search was not verified
 * @param turns        for a search with rotations: quarter turns clockwise the example image had to be turned
 *                     to match each hit, for hits that matched turned (absent = as it is). A hit that matched
 *                     turned is probably sideways relative to the example: "rotate to upright" is offered as a
 *                     suggestion, never applied to the file.
 */
public record SearchResult(List<SearchHit> hits, String modelId, long micros, String notice,
                           Verification verification, Map<Long, Integer> turns) {
    public SearchResult {
        hits = List.copyOf(hits);
        turns = turns == null ? Map.of() : Map.copyOf(turns);
    }

    /** A result without rotation handling. */
    public SearchResult(List<SearchHit> hits, String modelId, long micros, String notice,
                        Verification verification) {
        this(hits, modelId, micros, notice, verification, Map.of());
    }

    /** The same result with another notice. */
    public SearchResult withNotice(String newNotice) {
        return new SearchResult(hits, modelId, micros, newNotice, verification, turns);
    }

    /** An unverified result. */
    public SearchResult(List<SearchHit> hits, String modelId, long micros, String notice) {
        this(hits, modelId, micros, notice, null);
    }
}
