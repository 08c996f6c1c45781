package io.ocular.search;

import io.ocular.model.SearchScope;
import io.ocular.store.Catalog;

import java.util.Set;

/** Turns a {@link SearchScope} into the {@link SearchFilter} a {@link VectorIndex} applies while it searches. */
final class ScopeFilters {
    /** What a search says when its folders and dates hold no photo. */
    static final String NOTHING_IN_SCOPE = "no photos in the chosen folders and dates";

    private ScopeFilters() {
    }

    /**
     * The scope's folders and dates as a filter (one catalog read of the ids in scope; all ids when it does not
     * narrow; the scope itself for an index whose server applies it); its excluded ids are not part of it.
     */
    static SearchFilter narrowing(Catalog catalog, SearchScope scope, VectorIndex index) {
        if (!scope.narrowed()) {
            return SearchFilter.all();
        }
        if (index instanceof ServerVectorIndex) { // the server applies folders and dates in SQL
            return new ScopeFilter(scope, () -> catalog.imageIdsIn(scope));
        }
        return SearchFilter.allowing(catalog.imageIdsIn(scope));
    }

    /** The whole scope: folders, dates and excluded ids, plus {@code alsoExcluded}. */
    static SearchFilter of(Catalog catalog, SearchScope scope, Set<Long> alsoExcluded, VectorIndex index) {
        return narrowing(catalog, scope, index).and(SearchFilter.excluding(scope.excluding(alsoExcluded).excluded()));
    }
}
