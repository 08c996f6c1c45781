package io.ocular.ui.main;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The browsed library in columns of primitives, newest first: per photo its catalog id, its date (EXIF date
 * taken, else the file time, epoch milliseconds), the index of its directory in a table of distinct directories
 * and its file name as UTF-8 bytes in one shared array. About 35 bytes a photo where a list of grid items with
 * their hits, paths and dates was about 300 (a 1M-photo library: ~35 MB instead of ~300 MB of objects that the
 * collector copies and scans; issue 13, decision record 0380). The grid makes items from it only for the pages
 * it shows ({@link LibraryItems}). Immutable once built; read on any thread.
 */
public final class PhotoTable {
    private final long[] ids;
    private final long[] dates;
    private final int[] dirs;
    private final Path[] dirTable;
    private final int[] nameStart; // name i is names[nameStart[i], nameStart[i + 1])
    private final byte[] names;
    private final Map<Long, Long> durations; // videos only (few): id -> length in ms

    private PhotoTable(long[] ids, long[] dates, int[] dirs, Path[] dirTable, int[] nameStart, byte[] names,
                       Map<Long, Long> durations) {
        this.ids = ids;
        this.dates = dates;
        this.dirs = dirs;
        this.dirTable = dirTable;
        this.nameStart = nameStart;
        this.names = names;
        this.durations = durations;
    }

    /** No photos. */
    public static final PhotoTable EMPTY = new Builder().build(false);

    /** The photos in the order given (tests, and callers that ordered them already). */
    public static PhotoTable of(List<LibraryBrowser.Photo> photos) {
        Builder b = new Builder();
        photos.forEach(p -> b.add(p.id(), p.path(), p.date() == null ? 0 : p.date().toEpochMilli(), p.durationMs()));
        return b.build(false);
    }

    public int size() {
        return ids.length;
    }

    public long id(int i) {
        return ids[i];
    }

    /** Epoch milliseconds; 0 when the date is unknown. */
    public long dateMillis(int i) {
        return dates[i];
    }

    public Instant date(int i) {
        return Instant.ofEpochMilli(dates[i]);
    }

    /** The directory of photo {@code i}, shared by every photo in it. */
    public Path dir(int i) {
        return dirTable[dirs[i]];
    }

    /** The index of photo {@code i}'s directory in {@link #dirCount()} directories. */
    int dirIndex(int i) {
        return dirs[i];
    }

    int dirCount() {
        return dirTable.length;
    }

    Path dirAt(int d) {
        return dirTable[d];
    }

    public String name(int i) {
        return new String(names, nameStart[i], nameStart[i + 1] - nameStart[i], StandardCharsets.UTF_8);
    }

    /** The photo's path (made on each call: the table holds no Path per photo). */
    public Path path(int i) {
        return dirTable[dirs[i]].resolve(name(i));
    }

    /** A video's length in ms, 0 for a photo. */
    public long durationMs(int i) {
        return durations.isEmpty() ? 0 : durations.getOrDefault(ids[i], 0L);
    }

    /** The photos as records, in table order (tests and small libraries). */
    public List<LibraryBrowser.Photo> photos() {
        List<LibraryBrowser.Photo> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(new LibraryBrowser.Photo(ids[i], path(i), date(i), durationMs(i)));
        }
        return out;
    }

    /** Collects photos row by row (no object per photo is kept), then sorts them newest first. Not thread-safe. */
    public static final class Builder {
        private long[] ids = new long[1024];
        private long[] dates = new long[1024];
        private int[] dirs = new int[1024];
        private int[] nameStart = new int[1025];
        private byte[] names = new byte[16 * 1024];
        private final Map<Path, Integer> dirIndex = new HashMap<>();
        private final List<Path> dirTable = new ArrayList<>();
        private final Map<Long, Long> durations = new HashMap<>();
        private int size;

        /** Adds a photo; {@code date} in epoch ms (0: unknown), {@code durationMs} > 0 for a video. */
        public Builder add(long id, Path path, long date, long durationMs) {
            if (size == ids.length) {
                int n = size * 2;
                ids = Arrays.copyOf(ids, n);
                dates = Arrays.copyOf(dates, n);
                dirs = Arrays.copyOf(dirs, n);
                nameStart = Arrays.copyOf(nameStart, n + 1);
            }
            Path parent = path.getParent();
            Path dir = parent == null ? path.getRoot() == null ? Path.of("") : path.getRoot() : parent;
            Path fileName = path.getFileName();
            byte[] name = (fileName == null ? "" : fileName.toString()).getBytes(StandardCharsets.UTF_8);
            int at = nameStart[size];
            if (at + name.length > names.length) {
                names = Arrays.copyOf(names, Math.max(names.length * 2, at + name.length));
            }
            System.arraycopy(name, 0, names, at, name.length);
            ids[size] = id;
            dates[size] = date;
            dirs[size] = dirIndex.computeIfAbsent(dir, d -> {
                dirTable.add(d);
                return dirTable.size() - 1;
            });
            nameStart[size + 1] = at + name.length;
            if (durationMs > 0) {
                durations.put(id, durationMs);
            }
            size++;
            return this;
        }

        /**
         * The table, newest first with ties by path ({@link LibraryBrowser#NEWEST_FIRST}) when {@code sort},
         * else in the order added. Photos added twice (nested library folders) are kept once.
         */
        public PhotoTable build(boolean sort) {
            Path[] dirArray = dirTable.toArray(Path[]::new);
            PhotoTable added = new PhotoTable(Arrays.copyOf(ids, size), Arrays.copyOf(dates, size),
                    Arrays.copyOf(dirs, size), dirArray, Arrays.copyOf(nameStart, size + 1),
                    Arrays.copyOf(names, nameStart[size]), Map.copyOf(durations));
            if (!sort) {
                return added;
            }
            return added.sortedNewestFirst();
        }
    }

    /** This table newest first, ties by path, each id once. */
    private PhotoTable sortedNewestFirst() {
        int n = size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byDate = Long.compare(dates[b], dates[a]);
            return byDate != 0 ? byDate : path(a).compareTo(path(b)); // paths made only for equal dates
        });
        long[] sortedIds = new long[n];
        long[] sortedDates = new long[n];
        int[] sortedDirs = new int[n];
        int[] sortedStart = new int[n + 1];
        byte[] sortedNames = new byte[names.length];
        Map<Long, Integer> seen = hasDuplicateIds() ? new HashMap<>() : null;
        int kept = 0;
        for (Integer from : order) {
            int i = from;
            if (seen != null && seen.putIfAbsent(ids[i], kept) != null) {
                continue;
            }
            sortedIds[kept] = ids[i];
            sortedDates[kept] = dates[i];
            sortedDirs[kept] = dirs[i];
            int len = nameStart[i + 1] - nameStart[i];
            System.arraycopy(names, nameStart[i], sortedNames, sortedStart[kept], len);
            sortedStart[kept + 1] = sortedStart[kept] + len;
            kept++;
        }
        return new PhotoTable(Arrays.copyOf(sortedIds, kept), Arrays.copyOf(sortedDates, kept),
                Arrays.copyOf(sortedDirs, kept), dirTable, Arrays.copyOf(sortedStart, kept + 1),
                Arrays.copyOf(sortedNames, sortedStart[kept]), durations);
    }

    private boolean hasDuplicateIds() {
        long[] copy = ids.clone();
        Arrays.sort(copy);
        for (int i = 1; i < copy.length; i++) {
            if (copy[i] == copy[i - 1]) {
                return true;
            }
        }
        return false;
    }
}
