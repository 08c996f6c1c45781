package io.ocular.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Which photos a search may return, applied inside the vector search (so k results come back, not k minus
 * the filtered): photos under any of {@code folders} (with their sub-folders; empty = every folder), taken
 * (EXIF date, else the file's time) in [{@code from}, {@code until}) (either end null = open), and not one
 * of {@code excluded}.
 *
 * @param folders  absolute folders; empty keeps every folder
 * @param from     first instant kept, or null
 * @param until    first instant no longer kept, or null
 * @param excluded catalog ids never returned
 */
public record SearchScope(Set<Path> folders, Instant from, Instant until, Set<Long> excluded) {
    /** Every photo. */
    public static final SearchScope ALL = new SearchScope(Set.of(), null, null, Set.of());

    public SearchScope {
        folders = folders == null ? Set.of() : Set.copyOf(folders.stream()
                .map(p -> p.toAbsolutePath().normalize()).toList());
        excluded = excluded == null ? Set.of() : Set.copyOf(excluded);
        if (from != null && until != null && until.isBefore(from)) {
            throw new IllegalArgumentException("the date range ends (" + until + ") before it starts (" + from + ")");
        }
    }

    /** Whether folders or dates narrow the search (the catalog must be asked which photos are in). */
    public boolean narrowed() {
        return !folders.isEmpty() || from != null || until != null;
    }

    /** Whether the scope lets every photo through. */
    public boolean all() {
        return !narrowed() && excluded.isEmpty();
    }

    /** This scope, also leaving out {@code ids}. */
    public SearchScope excluding(Set<Long> ids) {
        if (ids.isEmpty()) {
            return this;
        }
        HashSet<Long> all = new HashSet<>(excluded);
        all.addAll(ids);
        return new SearchScope(folders, from, until, all);
    }

    /**
     * Whether a photo at {@code path}, taken at {@code takenAt} (null: unknown, the file time counts) with this
     * file time, is within the folders and dates (excluded ids are not looked at).
     */
    public boolean contains(Path path, Instant takenAt, long mtimeMillis) {
        if (!folders.isEmpty() && folders.stream().noneMatch(path::startsWith)) {
            return false;
        }
        long t = takenAt != null ? takenAt.toEpochMilli() : mtimeMillis;
        return (from == null || t >= from.toEpochMilli()) && (until == null || t < until.toEpochMilli());
    }
}
