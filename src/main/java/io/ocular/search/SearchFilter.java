package io.ocular.search;

import java.util.BitSet;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * Which ids a {@link VectorIndex#search(float[], int, SearchFilter)} may return: all, all but some (the query
 * image itself, images marked not relevant), or only some (a folder, a date range: any set of catalog ids the
 * caller computed, as a predicate or a bit set). Filters combine with {@link #and}. {@link #allows} is called
 * from search threads, concurrently: implementations must be thread-safe and fast (a set or bit lookup).
 */
public interface SearchFilter {

    /** Whether {@code id} may be returned. */
    boolean allows(long id);

    /** True when every id is allowed, so an index may skip the check. */
    default boolean allowsAll() {
        return false;
    }

    /**
     * Every id this filter may allow, when it knows them (e.g. the photos of a folder), else null: an index may
     * then score just those when they are few, instead of scanning everything. The bits are the caller's to keep.
     */
    default BitSet knownIds() {
        return null;
    }

    /** Both this and {@code other} must allow an id. */
    default SearchFilter and(SearchFilter other) {
        Objects.requireNonNull(other, "other");
        if (other.allowsAll()) {
            return this;
        }
        if (allowsAll()) {
            return other;
        }
        return new Both(this, other);
    }

    /** Two filters that must both allow an id; the ids known of either (or both) stay known. */
    record Both(SearchFilter first, SearchFilter second) implements SearchFilter {
        @Override
        public boolean allows(long id) {
            return first.allows(id) && second.allows(id);
        }

        @Override
        public BitSet knownIds() {
            BitSet a = first.knownIds();
            BitSet b = second.knownIds();
            if (a != null && b != null) {
                a.and(b);
            }
            return a != null ? a : b;
        }
    }

    /** Every id. */
    static SearchFilter all() {
        return All.INSTANCE;
    }

    /** Every id but these. */
    static SearchFilter excluding(Collection<Long> ids) {
        return ids.isEmpty() ? all() : new Excluding(Set.copyOf(ids));
    }

    /** Only ids the predicate accepts (e.g. images in a folder, or taken in a date range). */
    static SearchFilter allowing(LongPredicate allowed) {
        Objects.requireNonNull(allowed, "allowed");
        return allowed::test;
    }

    /** Only ids whose bit is set (catalog ids are small positive numbers, so a bit set is compact). */
    static SearchFilter allowing(BitSet ids) {
        return new AllowingIds(ids);
    }

    /** The filter that allows everything. */
    enum All implements SearchFilter {
        INSTANCE;

        @Override
        public boolean allows(long id) {
            return true;
        }

        @Override
        public boolean allowsAll() {
            return true;
        }
    }

    /**
     * Only the ids whose bit is set (e.g. the photos in the chosen folders and dates); an index that can filter
     * by a known id set natively (Lucene) may look inside, and {@link #count} says how selective it is.
     */
    record AllowingIds(BitSet bits) implements SearchFilter {
        public AllowingIds {
            bits = (BitSet) bits.clone();
        }

        /** A copy of the allowed ids' bits. */
        @Override
        public BitSet bits() {
            return (BitSet) bits.clone();
        }

        /** How many ids are allowed. */
        public int count() {
            return bits.cardinality();
        }

        @Override
        public BitSet knownIds() {
            return bits();
        }

        @Override
        public boolean allows(long id) {
            return id >= 0 && id <= Integer.MAX_VALUE && bits.get((int) id);
        }
    }

    /** Every id but {@code ids} (an index that can exclude natively may look inside). */
    record Excluding(Set<Long> ids) implements SearchFilter {
        public Excluding {
            ids = Set.copyOf(ids);
        }

        @Override
        public boolean allows(long id) {
            return !ids.contains(id);
        }
    }
}
