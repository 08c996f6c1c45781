package io.ocular.ui.main;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The rows of the photo grid: photos laid out {@code columns} to a row, and, when the photos are in date
 * order, a month header ("March 2024") before the first photo of each month, each month starting on a new
 * row. Plain data built in one pass (a 100,000-photo library takes a few milliseconds), so the grid shows
 * it through a virtualised list that makes nodes only for the rows on screen.
 *
 * @param rows    headers and photo rows, top to bottom
 * @param columns photos per row
 */
public record GridRows(List<Row> rows, int columns) {

    /** One row of the grid. */
    public sealed interface Row permits Header, Photos {
        /** The index (in the photo list) of the first photo this row shows or heads. */
        int first();
    }

    /**
     * A month's header.
     *
     * @param label  "March 2024", or "Date unknown"
     * @param first  its first photo's index
     * @param count  photos in the month
     */
    public record Header(String label, int first, int count) implements Row {
    }

    /** Photos {@code first} (inclusive) to {@code end} (exclusive) of the list, at most {@code columns}. */
    public record Photos(int first, int end) implements Row {
        public int size() {
            return end - first;
        }
    }

    /** The English label of photos without a known date (the epoch); the window passes its language's. */
    public static final String UNDATED = "Date unknown";

    public GridRows {
        rows = Collections.unmodifiableList(rows);
    }

    /** No rows. */
    public static GridRows empty(int columns) {
        return new GridRows(List.of(), Math.max(1, columns));
    }

    /**
     * Lays out {@code count} photos.
     *
     * @param dateOf  the date of photo i, or null when there are no month headers (relevance order)
     */
    public static GridRows build(int count, int columns, Function<Integer, Instant> dateOf, ZoneId zone,
                                 Locale locale) {
        return build(count, columns, dateOf, zone, locale, UNDATED);
    }

    /** As {@link #build(int, int, Function, ZoneId, Locale)}, with the header of undated photos given. */
    public static GridRows build(int count, int columns, Function<Integer, Instant> dateOf, ZoneId zone,
                                 Locale locale, String undated) {
        int cols = Math.max(1, columns);
        List<Row> rows = new ArrayList<>(count / cols + 16);
        if (dateOf == null) {
            addPhotoRows(rows, 0, count, cols);
            return new GridRows(rows, cols);
        }
        int start = 0;
        YearMonth month = null;
        long monthStart = Long.MAX_VALUE; // epoch millis [monthStart, monthEnd) of the last month read: a photo in
        long monthEnd = Long.MIN_VALUE;   // it needs no time-zone conversion (the library in date order: nearly all)
        for (int i = 0; i <= count; i++) {
            YearMonth m;
            if (i == count) {
                m = null;
            } else {
                Instant date = dateOf.apply(i);
                long ms = date == null ? 0 : date.toEpochMilli();
                if (ms != 0 && ms >= monthStart && ms < monthEnd) {
                    m = month;
                } else {
                    m = monthOf(date, zone);
                    boolean known = !m.equals(UNKNOWN);
                    monthStart = known ? m.atDay(1).atStartOfDay(zone).toInstant().toEpochMilli() : Long.MAX_VALUE;
                    monthEnd = known ? m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant().toEpochMilli()
                            : Long.MIN_VALUE;
                }
            }
            if (i == 0) {
                month = m;
            } else if (i == count || !m.equals(month)) {
                rows.add(new Header(month.equals(UNKNOWN) ? undated : label(month, zone, locale), start, i - start));
                addPhotoRows(rows, start, i, cols);
                start = i;
                month = m;
            }
        }
        return new GridRows(rows, cols);
    }

    private static void addPhotoRows(List<Row> rows, int from, int to, int cols) {
        for (int i = from; i < to; i += cols) {
            rows.add(new Photos(i, Math.min(to, i + cols)));
        }
    }

    /** The photo's month, or null when its date is unknown (the epoch). */
    private static YearMonth monthOf(Instant date, ZoneId zone) {
        return date == null || date.toEpochMilli() == 0 ? UNKNOWN : YearMonth.from(date.atZone(zone));
    }

    /** Stands for "date unknown" (a month no photo is dated in). */
    private static final YearMonth UNKNOWN = YearMonth.of(-999_999_999, 1);

    private static String label(YearMonth month, ZoneId zone, Locale locale) {
        return LibraryBrowser.monthLabel(month.atDay(1).atStartOfDay(zone).toInstant(), zone, locale);
    }

    /** The index of the row that shows photo {@code index} (binary search), or -1. */
    public int rowOf(int index) {
        int lo = 0;
        int hi = rows.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            Row r = rows.get(mid);
            if (r instanceof Photos p && index >= p.first() && index < p.end()) {
                return mid;
            }
            if (r.first() > index) {
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return -1;
    }

    /**
     * The photo one row up ({@code step} -1) or down (+1) from photo {@code index}, in the same column where
     * that row is long enough (else its last photo), skipping headers; {@code index} itself at the edges.
     */
    public int verticalNeighbour(int index, int step) {
        int row = rowOf(index);
        if (row < 0) {
            return index;
        }
        int column = index - rows.get(row).first();
        for (int r = row + step; r >= 0 && r < rows.size(); r += step) {
            if (rows.get(r) instanceof Photos p) {
                return p.first() + Math.min(column, p.size() - 1);
            }
        }
        return index;
    }
}
