package io.ocular.search;

import io.ocular.model.OcularException;
import io.ocular.model.Query;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;

/**
 * Answers queries against the active model's vectors. Thread-safe. Failures the user can act on
 * (no model with a text tower, unreadable query image, blank text, ...) are thrown as
 * {@link io.ocular.model.OcularException} with a message to show as is.
 */
public interface SearchService {

    SearchResult search(Query query, int k);

    /**
     * Searches with options. This default answers unverified queries and refuses verification; a service
     * that can verify (e.g. {@code search.local.VerifyingSearchService}) overrides it.
     */
    default SearchResult search(Query query, int k, SearchOptions options) {
        if (options.verify()) {
            throw new OcularException("Verifying results with local features is not available here.");
        }
        return search(query, k);
    }
}
