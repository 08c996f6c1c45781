package io.ocular.search;

import io.ocular.model.SearchScope;

import java.util.BitSet;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A search scope's folders and dates as a filter an index may hand on whole: a server that searches itself
 * ({@link ServerVectorIndex}) turns the scope into SQL; any other index asks {@link #allows} and the ids in scope
 * are read from the catalog once, on first use. Thread-safe.
 */
final class ScopeFilter implements SearchFilter {
    private final SearchScope scope;
    private final Supplier<BitSet> ids;
    private volatile BitSet bits;

    /**
     * @param scope its folders and dates (its excluded ids are not part of this filter)
     * @param ids   the catalog ids in scope, read when an index first needs them
     */
    ScopeFilter(SearchScope scope, Supplier<BitSet> ids) {
        this.scope = new SearchScope(scope.folders(), scope.from(), scope.until(), null);
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** The folders and dates, without excluded ids. */
    SearchScope scope() {
        return scope;
    }

    private BitSet bits() {
        BitSet b = bits;
        if (b == null) {
            synchronized (this) {
                b = bits;
                if (b == null) {
                    b = ids.get();
                    bits = b;
                }
            }
        }
        return b;
    }

    @Override
    public boolean allows(long id) {
        return id >= 0 && id <= Integer.MAX_VALUE && bits().get((int) id);
    }

    @Override
    public BitSet knownIds() {
        return (BitSet) bits().clone();
    }
}
