package io.ocular.search;

import io.ocular.model.Query;
import io.ocular.model.SearchResult;

/**
 * Answers queries against the active model's vectors. Thread-safe. Failures the user can act on
 * (no model with a text tower, unreadable query image, blank text, ...) are thrown as
 * {@link io.ocular.model.OcularException} with a message to show as is.
 */
public interface SearchService {

    SearchResult search(Query query, int k);
}
