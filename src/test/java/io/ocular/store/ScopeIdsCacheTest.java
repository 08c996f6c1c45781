package io.ocular.store;

import io.ocular.model.SearchScope;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class ScopeIdsCacheTest {
    private final AtomicLong clock = new AtomicLong();
    private final ScopeIdsCache cache = new ScopeIdsCache(clock::get);
    private final AtomicInteger loads = new AtomicInteger();
    private final Function<SearchScope, BitSet> catalog = scope -> {
        loads.incrementAndGet();
        BitSet b = new BitSet();
        b.set(scope.folders().size() * 10 + loads.get()); // a different answer at every load
        return b;
    };

    private static SearchScope folder(String dir) {
        return new SearchScope(Set.of(Path.of(dir)), null, null, Set.of());
    }

    @Test
    void remembersAScopeUntilAWriteAndHandsOutCopies() {
        BitSet first = cache.ids(folder("/a"), catalog);
        first.set(999); // a caller's change must not leak into the next answer
        BitSet again = cache.ids(folder("/a"), catalog);
        assertThat(loads).hasValue(1);
        assertThat(again.get(999)).isFalse();
        assertThat(again).isEqualTo(cache.ids(new SearchScope(Set.of(Path.of("/a")), null, null, Set.of(7L)), catalog))
                .as("excluded ids are not part of the key");
        assertThat(loads).hasValue(1);

        cache.invalidate();
        BitSet afterWrite = cache.ids(folder("/a"), catalog);
        assertThat(loads).hasValue(2);
        assertThat(afterWrite).isNotEqualTo(again);
    }

    @Test
    void otherScopesDatesAndAgeAreDistinguished() {
        cache.ids(folder("/a"), catalog);
        cache.ids(folder("/b"), catalog);
        cache.ids(new SearchScope(Set.of(Path.of("/a")), Instant.EPOCH, null, Set.of()), catalog);
        assertThat(loads).hasValue(3);
        cache.ids(folder("/b"), catalog);
        assertThat(loads).hasValue(3);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(ScopeIdsCache.MAX_AGE_SECONDS)); // a shared catalog's other writers
        cache.ids(folder("/b"), catalog);
        assertThat(loads).hasValue(4);
    }

    @Test
    void holdsAFewScopesLeastRecentlyUsedOut() {
        for (int i = 0; i <= ScopeIdsCache.SCOPES; i++) {
            cache.ids(folder("/f" + i), catalog);
        }
        assertThat(loads).hasValue(ScopeIdsCache.SCOPES + 1);
        cache.ids(folder("/f" + ScopeIdsCache.SCOPES), catalog);
        assertThat(loads).hasValue(ScopeIdsCache.SCOPES + 1);
        cache.ids(folder("/f0"), catalog); // the eldest went out
        assertThat(loads).hasValue(ScopeIdsCache.SCOPES + 2);
    }
}
