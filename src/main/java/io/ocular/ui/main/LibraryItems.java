package io.ocular.ui.main;

import io.ocular.model.ImageRecord;
import io.ocular.model.SearchHit;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.RandomAccess;
import java.util.TreeMap;

/**
 * The browsed library as grid items, made a page at a time: a {@link PhotoTable} (primitive columns) and the
 * order shown (indices into it, after the folder and date filters), with the items of the last
 * {@value #CACHED_PAGES} pages read kept in a small LRU. A 1M-photo library never has 1M items: the grid asks
 * for the rows on screen, and an item is made when first asked for (issue 13, decision record 0380).
 *
 * <p>An item the user selected or marked is kept while it is (the selection lives in the items), so asking
 * again for its index gives the same item; other items may be made anew after their page was dropped.
 * {@link #indexOf} finds an item by its photo id without making items. UI thread, as the grid's list.
 */
public final class LibraryItems extends AbstractList<ResultItem> implements RandomAccess {
    /** Items per page. */
    static final int PAGE = 256;
    /** Pages kept: a screen of a large window is a few hundred photos. */
    static final int CACHED_PAGES = 16;

    private final PhotoTable table;
    private final int[] order; // null: the table's order
    private final Map<Integer, ResultItem[]> pages = new LinkedHashMap<>(CACHED_PAGES * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, ResultItem[]> eldest) {
            if (size() <= CACHED_PAGES) {
                return false;
            }
            keepMarked(eldest.getKey(), eldest.getValue());
            return true;
        }
    };
    private final Map<Integer, ResultItem> kept = new HashMap<>(); // selected or marked items of dropped pages
    private long made; // items made so far (tests)

    /** The whole table in its order. */
    public LibraryItems(PhotoTable table) {
        this(table, null);
    }

    private LibraryItems(PhotoTable table, int[] order) {
        this.table = table;
        this.order = order;
    }

    /** The table under these items. */
    public PhotoTable table() {
        return table;
    }

    /** The table's row shown at {@code index}. */
    int row(int index) {
        return order == null ? index : order[index];
    }

    @Override
    public int size() {
        return order == null ? table.size() : order.length;
    }

    @Override
    public ResultItem get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(index);
        }
        ResultItem marked = kept.isEmpty() ? null : kept.get(index);
        if (marked != null) {
            return marked;
        }
        int page = index / PAGE;
        ResultItem[] items = pages.computeIfAbsent(page, p -> new ResultItem[Math.min(PAGE, size() - p * PAGE)]);
        ResultItem item = items[index - page * PAGE];
        if (item == null) {
            item = make(row(index));
            items[index - page * PAGE] = item;
        }
        return item;
    }

    private ResultItem make(int row) {
        made++;
        SearchHit hit = new SearchHit(table.id(row), table.path(row), Float.NaN, ImageRecord.NO_FRAME,
                table.durationMs(row));
        return new ResultItem(hit, table.date(row));
    }

    private void keepMarked(int page, ResultItem[] items) {
        for (int i = 0; i < items.length; i++) {
            ResultItem item = items[i];
            if (item != null && (item.isSelected() || item.getMark() != Mark.NONE)) {
                kept.put(page * PAGE + i, item);
            }
        }
        kept.values().removeIf(item -> !item.isSelected() && item.getMark() == Mark.NONE);
    }

    /** The date shown at {@code index}, without making its item (month headers, the date indicator). */
    public Instant dateAt(int index) {
        return table.date(row(index));
    }

    /** By photo id (ids are unique in the library), without making items; -1 when absent. */
    @Override
    public int indexOf(Object o) {
        if (!(o instanceof ResultItem item)) {
            return -1;
        }
        long id = item.id();
        for (int i = 0, n = size(); i < n; i++) {
            if (table.id(row(i)) == id) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int lastIndexOf(Object o) {
        return indexOf(o);
    }

    @Override
    public boolean contains(Object o) {
        return indexOf(o) >= 0;
    }

    /**
     * The selected items in order. Every selected item is held (in a cached page, or kept when its page was
     * dropped), so this reads the held items only.
     */
    public List<ResultItem> selected() {
        TreeMap<Integer, ResultItem> byIndex = new TreeMap<>();
        kept.forEach((index, item) -> {
            if (item.isSelected()) {
                byIndex.put(index, item);
            }
        });
        pages.forEach((page, items) -> {
            for (int i = 0; i < items.length; i++) {
                if (items[i] != null && items[i].isSelected()) {
                    byIndex.putIfAbsent(page * PAGE + i, items[i]);
                }
            }
        });
        return List.copyOf(byIndex.values());
    }

    /** Items made since this list was made (each visible photo once, again after its page was dropped). */
    long itemsMade() {
        return made;
    }

    /** Items held now (cached pages and kept selections): bounded by the pages, whatever the library's size. */
    int itemsHeld() {
        int n = kept.size();
        for (ResultItem[] page : pages.values()) {
            for (ResultItem item : page) {
                n += item == null ? 0 : 1;
            }
        }
        return n;
    }

    /**
     * The items {@code view} keeps, in its order: folders tested once per directory, dates on the stored
     * milliseconds, without making items. Browsing is newest first (ties by path); "newest first" keeps that
     * order, "oldest first" reverses the dates and keeps ties by path (as a stable sort of the list would);
     * "close matches only" keeps everything (photos shown by browsing have no score).
     */
    public LibraryItems view(ResultView view, ZoneId zone) {
        if (!view.filters() && view.order() != ResultView.Order.OLDEST) {
            return new LibraryItems(table);
        }
        boolean[] dirKept = new boolean[table.dirCount()];
        for (int d = 0; d < dirKept.length; d++) {
            Path dir = table.dirAt(d);
            dirKept[d] = view.folders().isEmpty() || view.folders().stream().anyMatch(dir::startsWith);
        }
        long from = view.from() == null ? Long.MIN_VALUE : view.from().atStartOfDay(zone).toInstant().toEpochMilli();
        long to = view.to() == null ? Long.MAX_VALUE
                : view.to().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
        int[] rows = new int[table.size()];
        int n = 0;
        for (int i = 0; i < table.size(); i++) {
            long t = table.dateMillis(i);
            if (dirKept[table.dirIndex(i)] && t >= from && t < to) {
                rows[n++] = i;
            }
        }
        int[] shown = Arrays.copyOf(rows, n);
        if (view.order() == ResultView.Order.OLDEST) {
            reverseKeepingTies(shown);
        }
        return new LibraryItems(table, shown);
    }

    /** Reverses newest-first rows to oldest first, keeping rows of equal date in their (path) order. */
    private void reverseKeepingTies(int[] rows) {
        for (int i = 0, j = rows.length - 1; i < j; i++, j--) {
            int t = rows[i];
            rows[i] = rows[j];
            rows[j] = t;
        }
        int start = 0;
        for (int i = 1; i <= rows.length; i++) {
            if (i == rows.length || table.dateMillis(rows[i]) != table.dateMillis(rows[start])) {
                for (int a = start, b = i - 1; a < b; a++, b--) {
                    int t = rows[a];
                    rows[a] = rows[b];
                    rows[b] = t;
                }
                start = i;
            }
        }
    }
}
