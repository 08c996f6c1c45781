package io.ocular.store;

import io.ocular.model.SearchScope;

import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The ids in a search scope (folders, dates), remembered for the next search in the same scope: the catalog's
 * answer for a tenth of 100k photos took 86–114 ms under load, more than the search itself, and a person who
 * picked a folder searches in it again and again (decision 0050). Forgotten at every catalog write
 * ({@link #invalidate}) and after {@link #MAX_AGE_SECONDS} at the latest. A few scopes at most, least recently
 * used first out; callers get their own copy.
 */
final class ScopeIdsCache {
    static final int SCOPES = 8;
    static final long MAX_AGE_SECONDS = 10;

    private record Key(Set<Path> folders, Instant from, Instant until) {
    }

    private record Entry(long version, long madeAtNanos, BitSet ids) {
    }

    private final AtomicLong version = new AtomicLong();
    private final LongSupplier nanoTime;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > SCOPES;
        }
    };

    ScopeIdsCache() {
        this(System::nanoTime);
    }

    /** With another clock (tests). */
    ScopeIdsCache(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The ids in {@code scope}: remembered ones while no write came since, else {@code load}'s answer. */
    BitSet ids(SearchScope scope, Function<SearchScope, BitSet> load) {
        Key key = new Key(Set.copyOf(scope.folders()), scope.from(), scope.until());
        long v = version.get();
        long now = nanoTime.getAsLong();
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e != null && e.version() == v && now - e.madeAtNanos() < TimeUnit.SECONDS.toNanos(MAX_AGE_SECONDS)) {
                return (BitSet) e.ids().clone();
            }
        }
        BitSet ids = load.apply(scope);
        synchronized (entries) {
            entries.put(key, new Entry(v, now, (BitSet) ids.clone())); // v: a write during the load makes it stale
        }
        return ids;
    }

    /** A write changed which photos are where: every remembered scope is stale. */
    void invalidate() {
        version.incrementAndGet();
    }
}
