package io.ocular.ui.main;

import io.ocular.model.SearchScope;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * How the grid narrows and orders what it shows: folders (each with its sub-folders; none = all), a date
 * range (inclusive, in the user's time zone; either end open), "close matches only" and the order.
 *
 * <p>"Close matches only" keeps results scoring at least {@value #CLOSE_RATIO} of the best result's score:
 * scores are cosine similarities whose scale depends on the model and the kind of query (CLIP text
 * queries score around 0.3, photo queries up to 1), so a threshold relative to the best match works for
 * all of them where a fixed number would not.
 *
 * @param order     relevance (search order), newest first or oldest first
 * @param folders   folders to keep (with sub-folders); empty keeps every folder
 * @param from      first day kept, or null
 * @param to        last day kept, or null
 * @param closeOnly keep only close matches (search results; ignored when browsing)
 */
public record ResultView(Order order, Set<Path> folders, LocalDate from, LocalDate to, boolean closeOnly) {

    public static final double CLOSE_RATIO = 0.9;
    /** Relevance order, nothing filtered. */
    public static final ResultView DEFAULT = new ResultView(Order.RELEVANCE, Set.of(), null, null, false);

    /** Orders the grid can show. */
    public enum Order {
        RELEVANCE("Best match"), NEWEST("Newest first"), OLDEST("Oldest first");

        private final String label;

        Order(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public ResultView {
        order = order == null ? Order.RELEVANCE : order;
        folders = folders == null ? Set.of() : Set.copyOf(folders);
        if (from != null && to != null && to.isBefore(from)) {
            LocalDate t = from;
            from = to;
            to = t;
        }
    }

    public ResultView withOrder(Order o) {
        return new ResultView(o, folders, from, to, closeOnly);
    }

    public ResultView withFolders(Set<Path> f) {
        return new ResultView(order, f, from, to, closeOnly);
    }

    public ResultView withDates(LocalDate f, LocalDate t) {
        return new ResultView(order, folders, f, t, closeOnly);
    }

    public ResultView withCloseOnly(boolean c) {
        return new ResultView(order, folders, from, to, c);
    }

    /**
     * The folder and date filters as a search scope (days from/to inclusive in {@code zone}): a search applies
     * it inside the vector search, so its results need no filtering afterwards.
     */
    public SearchScope scope(ZoneId zone) {
        return new SearchScope(folders, from == null ? null : from.atStartOfDay(zone).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant(), Set.of());
    }

    /** Whether {@code other} narrows to the same folders and dates (the order and "close matches" aside). */
    public boolean sameScope(ResultView other) {
        return other != null && folders.equals(other.folders) && Objects.equals(from, other.from)
                && Objects.equals(to, other.to);
    }

    /** This view without folder and date filters: order and "close matches only" only (for search results). */
    public ResultView withoutScope() {
        return new ResultView(order, Set.of(), null, null, closeOnly);
    }

    /** Whether any filter (not the order) is set. */
    public boolean filters() {
        return !folders.isEmpty() || from != null || to != null || closeOnly;
    }

    /** Whether a photo in {@code path} taken at {@code date} passes the folder and date filters. */
    public boolean keeps(Path path, Instant date, ZoneId zone) {
        if (!folders.isEmpty() && folders.stream().noneMatch(path::startsWith)) {
            return false;
        }
        if (from == null && to == null) {
            return true;
        }
        LocalDate day = date.atZone(zone).toLocalDate();
        return (from == null || !day.isBefore(from)) && (to == null || !day.isAfter(to));
    }

    /**
     * Applies the filters and the order to {@code items} (given in relevance order).
     *
     * @param score the item's score, or NaN when it has none (browsing): "close matches" then keeps all
     */
    public <T> List<T> apply(List<T> items, Function<T, Path> path, Function<T, Instant> date,
                             ToDoubleFunction<T> score, ZoneId zone) {
        List<T> kept = new ArrayList<>(items.size());
        for (T item : items) {
            if (keeps(path.apply(item), date.apply(item), zone)) {
                kept.add(item);
            }
        }
        if (closeOnly && !kept.isEmpty()) {
            double best = kept.stream().mapToDouble(score).filter(s -> !Double.isNaN(s)).max().orElse(Double.NaN);
            if (!Double.isNaN(best)) {
                double cut = best - (1 - CLOSE_RATIO) * Math.abs(best);
                kept.removeIf(item -> score.applyAsDouble(item) < cut);
            }
        }
        if (order == Order.NEWEST) {
            kept.sort(Comparator.comparing(date).reversed());
        } else if (order == Order.OLDEST) {
            kept.sort(Comparator.comparing(date));
        }
        return kept;
    }
}
