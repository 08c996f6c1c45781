package io.ocular.ui.main;

import io.ocular.model.Query;
import io.ocular.model.ImageRecord;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchOptions;
import io.ocular.model.SearchResult;
import io.ocular.model.Verification;
import io.ocular.search.SearchService;
import io.ocular.ui.common.ImageFiles;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Search bar, results grid, selection and relevance feedback. Engine calls run on the background executor;
 * results are published on the UI executor, and a result that arrives after a newer search started is
 * dropped. All public methods are called on the UI thread.
 *
 * <p>Feedback: marks made since the last refinement are <em>pending</em>; {@link #refine()} turns them into
 * one {@link Query.FeedbackRound} and searches {@code Query.Refined(base, rounds)}. {@link #undoRound()}
 * drops the last round, {@link #clearFeedback()} all of them.
 */
public final class SearchViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(SearchViewModel.class);
    public static final int DEFAULT_K = 1000;
    /** How many results "Find this object" verifies and shows (the short list of decision record 0070). */
    public static final int VERIFIED_CANDIDATES = 100;
    /** What "Find this object" says when nothing verifies (in English; the window says it in its language). */
    public static final String NO_CONFIDENT_MATCH = "No confident match: none of these photos clearly shows the"
            + " same object. They are only similar.";

    private final SearchService search;
    private final Notifications notifications;
    private final Messages msg;
    private final UiTask searching;
    private final int k;

    private final StringProperty queryText = new SimpleStringProperty(this, "queryText", "");
    private final ResultList results = new ResultList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyIntegerWrapper roundCount = new ReadOnlyIntegerWrapper(this, "roundCount");
    private final ReadOnlyIntegerWrapper selectionCount = new ReadOnlyIntegerWrapper(this, "selectionCount");
    private final ObjectProperty<ResultItem> focused = new SimpleObjectProperty<>(this, "focused");
    private final ObjectProperty<ResultView> view = new SimpleObjectProperty<>(this, "view", ResultView.DEFAULT);
    private final ReadOnlyObjectWrapper<QueryChip> chip = new ReadOnlyObjectWrapper<>(this, "chip");
    private final ReadOnlyBooleanWrapper browsing = new ReadOnlyBooleanWrapper(this, "browsing", true);
    private final Function<Collection<Long>, Map<Long, Instant>> datesOf;
    private final ZoneId zone;
    /** Everything found (search hits in relevance order, or the browsed photos), before {@link #view}. */
    private List<ResultItem> found = List.of();
    private String foundStatus = "";
    private String browseTitle = "";
    private List<ResultItem> library = List.of();
    private Runnable onBrowse = () -> { };
    private Supplier<String> indexInUse = () -> "";

    private Query base;
    /** How the current query is answered: plain, or verified ("Find this object"); the scope is added per run. */
    private SearchOptions mode = SearchOptions.DEFAULT;
    private final ReadOnlyBooleanWrapper verified = new ReadOnlyBooleanWrapper(this, "verified");
    private final List<Query.FeedbackRound> rounds = new ArrayList<>();
    private final Map<Long, Mark> pending = new HashMap<>();
    private int anchor = -1;

    public SearchViewModel(SearchService search, UiExecutors executors, Notifications notifications, int k) {
        this(search, executors, notifications, k, ids -> Map.of(), ZoneId.systemDefault());
    }

    /**
     * @param datesOf when photos (by catalog id) were taken, for sorting and filtering results by date (one
     *                bulk read on the background thread; ids it does not know are undated)
     * @param zone   the time zone date filters are read in
     */
    public SearchViewModel(SearchService search, UiExecutors executors, Notifications notifications, int k,
                           Function<Collection<Long>, Map<Long, Instant>> datesOf, ZoneId zone) {
        this(search, executors, notifications, k, datesOf, zone, Messages.english());
    }

    /** @param msg the window's words (status line, notices) */
    public SearchViewModel(SearchService search, UiExecutors executors, Notifications notifications, int k,
                           Function<Collection<Long>, Map<Long, Instant>> datesOf, ZoneId zone, Messages msg) {
        this.search = search;
        this.notifications = notifications;
        this.msg = msg;
        this.searching = UiTask.latestWins(msg.get("task.search"), executors, notifications);
        this.k = k;
        this.datesOf = datesOf;
        this.zone = zone;
        view.addListener((obs, o, n) -> {
            if (!browsing.get() && base != null && !n.sameScope(o)) {
                run(currentQuery()); // folders and dates are applied inside the search: k results, all in scope
            } else {
                reapply();
            }
        });
    }

    // ---- properties ----------------------------------------------------------------------------

    public StringProperty queryTextProperty() {
        return queryText;
    }

    public ObservableList<ResultItem> results() {
        return results;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return searching.busyProperty();
    }

    public ReadOnlyIntegerProperty roundCountProperty() {
        return roundCount.getReadOnlyProperty();
    }

    public ReadOnlyIntegerProperty selectionCountProperty() {
        return selectionCount.getReadOnlyProperty();
    }

    /**
     * Order, folder and date filters and "close matches only" of the grid. Changing the folders or dates of
     * search results searches again within them (the filter runs inside the vector search, so k results come
     * back); anything else re-applies at once.
     */
    public ObjectProperty<ResultView> viewProperty() {
        return view;
    }

    /** What is being searched, for the search bar's chip; null while browsing. */
    public ReadOnlyObjectProperty<QueryChip> chipProperty() {
        return chip.getReadOnlyProperty();
    }

    /** True while the grid shows the library (all photos or a folder) rather than search results. */
    public ReadOnlyBooleanProperty browsingProperty() {
        return browsing.getReadOnlyProperty();
    }

    /**
     * What the status line says about the index a search used ("exact search", "compact index"); asked on the
     * background thread with each search.
     */
    public void setIndexInUse(Supplier<String> inUse) {
        this.indexInUse = inUse == null ? () -> "" : inUse;
    }

    /** Called when the grid goes back to browsing (Esc, the chip removed), e.g. to reload the library. */
    public void setOnBrowse(Runnable action) {
        this.onBrowse = action == null ? () -> { } : action;
    }

    /** The result shown in the viewer. */
    public ObjectProperty<ResultItem> focusedProperty() {
        return focused;
    }

    /** The query the current results answer, before feedback; null when there is none. */
    public Query baseQuery() {
        return base;
    }

    public List<Query.FeedbackRound> rounds() {
        return List.copyOf(rounds);
    }

    // ---- searching -----------------------------------------------------------------------------

    /** Searches the words in the search bar. */
    public void searchText() {
        String text = queryText.get() == null ? "" : queryText.get().strip();
        if (text.isEmpty()) {
            notifications.info(msg.get("search.typeSomething"));
            return;
        }
        startNew(new Query.ByText(text), QueryChip.words(text));
    }

    /** Searches by a dropped or pasted file (need not be in the library). */
    public void searchFile(Path file) {
        String problem = ImageFiles.problemWithQueryImage(file, msg);
        if (problem != null) {
            notifications.error(problem);
            return;
        }
        queryText.set("");
        startNew(new Query.ByFile(file), QueryChip.photo(file));
    }

    /** "More like this": searches by a result. */
    public void moreLikeThis(ResultItem item) {
        if (item == null) {
            notifications.info(msg.get("search.selectFirst"));
            return;
        }
        queryText.set("");
        startNew(new Query.ByImage(item.id()), QueryChip.photo(item.path()));
    }

    /**
     * "Find this object": the photos showing the same object or scene as {@code item}, by instance verification
     * of the best {@value #VERIFIED_CANDIDATES} (local features and geometry; needs instance search on). Each
     * result says whether it verified; "no confident match" is said plainly.
     */
    public void findObject(ResultItem item) {
        if (item == null) {
            notifications.info(msg.get("search.selectFirst"));
            return;
        }
        queryText.set("");
        startNew(new Query.ByImage(item.id()), QueryChip.photo(item.path()),
                new SearchOptions(true, VERIFIED_CANDIDATES, true));
    }

    /** True while the results come from "Find this object" (each one verified or not). */
    public ReadOnlyBooleanProperty verifiedProperty() {
        return verified.getReadOnlyProperty();
    }

    /** Re-runs the current query (e.g. after indexing added images). */
    public void rerun() {
        if (base != null) {
            run(currentQuery());
        }
    }

    private void startNew(Query query, QueryChip shown) {
        startNew(query, shown, SearchOptions.DEFAULT);
    }

    private void startNew(Query query, QueryChip shown, SearchOptions how) {
        LOG.info("new search: {}", query);
        base = query;
        mode = how;
        verified.set(how.verify());
        chip.set(shown);
        browsing.set(false);
        rounds.clear();
        pending.clear();
        roundCount.set(0);
        run(query);
    }

    private Query currentQuery() {
        return rounds.isEmpty() ? base : new Query.Refined(base, rounds);
    }

    private void run(Query query) {
        status.set(msg.get("search.searching"));
        SearchOptions options = mode.withScope(view.get().scope(zone));
        // an example photo is also searched turned by quarter turns (sideways photos, decision record 0115)
        SearchOptions turned = options.withRotations(query instanceof Query.ByFile || query instanceof Query.ByImage);
        int count = options.verify() ? options.candidates() : k; // a verified search checks every result it shows
        // a newer search wins; the dates for sorting and filtering are read with the hits, off the UI thread
        UiTask.Job<Found> job = searching.supply(() -> {
            SearchResult r = search.search(query, count, turned);
            String index = indexInUse.get();
            Map<Long, Instant> byId = datesOf.apply(r.hits().stream().map(SearchHit::imageId).toList());
            List<Instant> dates = new ArrayList<>(r.hits().size());
            for (SearchHit hit : r.hits()) {
                dates.add(byId.get(hit.imageId()));
            }
            return new Found(r, dates, index == null ? "" : index);
        });
        job.onSuccess(this::show).onFailure(failure -> {
            status.set("");
            job.notice(failure);
        }).start();
    }

    private record Found(SearchResult result, List<Instant> dates, String index) {
    }

    private void show(Found found) {
        SearchResult result = found.result();
        Map<Long, Mark> marks = effectiveMarks();
        List<ResultItem> items = new ArrayList<>(result.hits().size());
        Verification v = result.verification();
        for (int i = 0; i < result.hits().size(); i++) {
            SearchHit hit = result.hits().get(i);
            ResultItem item = new ResultItem(hit, found.dates().get(i), v == null ? null : v.check(hit.imageId()),
                    result.turns().getOrDefault(hit.imageId(), 0));
            item.setMark(marks.getOrDefault(hit.imageId(), Mark.NONE));
            items.add(item);
        }
        boolean notice = result.notice() != null && !result.notice().isBlank();
        notifications.clear(); // a search that worked clears what an earlier one said
        this.found = items;
        this.foundStatus = msg.format("search.time", result.micros() / 1000.0)
                + (rounds.isEmpty() ? "" : " · " + msg.format("search.refinedTimes", rounds.size()))
                + (v == null ? "" : " · " + msg.format("search.verifiedCount",
                        items.stream().filter(x -> x.check() == Verification.Check.VERIFIED).count()))
                + (found.index().isEmpty() ? "" : " · " + found.index())
                + (notice && !items.isEmpty() ? " · " + result.notice() : ""); // e.g. partial coverage while re-indexing
        reapply();
        if (v != null && !items.isEmpty() && !v.confident()) {
            notifications.info(msg.get("search.noConfidentMatch"));
        } else if (notice && items.isEmpty()) {
            notifications.info(result.notice());
        } else if (items.isEmpty()) {
            notifications.info(msg.get("search.noMatches"));
        }
    }

    /**
     * The library to show while nothing is searched: "All photos" or a folder, newest first. Shown at once
     * when browsing; kept for later while search results are shown.
     */
    public void showLibrary(String title, List<LibraryBrowser.Photo> photos) {
        showLibraryItems(title, new LibraryItems(PhotoTable.of(photos)));
    }

    /**
     * The library as a table of primitives (read by {@link BrowseViewModel} off the UI thread): the grid makes
     * items for the pages it shows only, whatever the library's size (issue 13).
     */
    public void showLibraryTable(String title, PhotoTable photos) {
        showLibraryItems(title, new LibraryItems(photos));
    }

    /** The date of result {@code index} (month headers), without making a library item. */
    Instant dateAt(int index) {
        return results.dateAt(index);
    }

    /**
     * The grid items of the library's photos. Pure: {@link BrowseViewModel} makes them on a background thread,
     * since a library of 100,000 photos is 100,000 items (the soak found this on the FX thread).
     */
    public static List<ResultItem> libraryItems(List<LibraryBrowser.Photo> photos) {
        List<ResultItem> items = new ArrayList<>(photos.size());
        for (LibraryBrowser.Photo p : photos) {
            items.add(new ResultItem(new SearchHit(p.id(), p.path(), Float.NaN, ImageRecord.NO_FRAME, p.durationMs()),
                    p.date()));
        }
        return items;
    }

    /** {@link #showLibrary} with the items made already ({@link #libraryItems}). */
    public void showLibraryItems(String title, List<ResultItem> items) {
        this.library = items;
        this.browseTitle = title;
        if (browsing.get()) {
            found = items;
            foundStatus = "";
            reapply();
        }
    }

    /** Shows {@link #found} through the current {@link ResultView}; selection and focus start afresh. */
    private void reapply() {
        // search results were found within the folders and dates already (inside the index): only the order and
        // "close matches only" apply to them; the browsed library is filtered here
        ResultView v = browsing.get() ? view.get() : view.get().withoutScope();
        List<ResultItem> shown = found instanceof LibraryItems library
                ? library.view(v, zone) // filtered and ordered on the table, no item made
                : v.apply(found, ResultItem::path, ResultItem::date, ResultItem::score, zone);
        anchor = -1;
        focused.set(null);
        for (ResultItem item : selectedItems()) {
            item.setSelected(false);
        }
        results.show(shown);
        selectionCount.set(0);
        int hidden = found.size() - shown.size();
        String count = browsing.get()
                ? msg.format("browse.count", browseTitle, shown.size())
                : msg.format("search.count", shown.size());
        status.set(count + (hidden > 0 ? " " + msg.format("search.hidden", hidden) : "")
                + (foundStatus.isEmpty() ? "" : " · " + foundStatus));
    }

    /**
     * Esc: clears the selection first; then leaves the search results and returns to browsing the library
     * (also what removing the query chip does).
     */
    public void escape() {
        if (selectionCount.get() > 0) {
            clearSelection();
            return;
        }
        leaveResults();
    }

    /** Removes the query (the chip's ✕): the results go, the grid shows the library again. */
    public void leaveResults() {
        searching.supersede();
        queryText.set("");
        base = null;
        mode = SearchOptions.DEFAULT;
        verified.set(false);
        chip.set(null);
        rounds.clear();
        pending.clear();
        roundCount.set(0);
        notifications.clear();
        boolean wasBrowsing = browsing.get();
        browsing.set(true);
        found = library;
        foundStatus = "";
        reapply();
        if (!wasBrowsing) {
            onBrowse.run();
        }
    }

    // ---- selection -----------------------------------------------------------------------------

    /**
     * A click on result {@code index}: plain selects only it, {@code toggle} (Ctrl/Cmd) adds or removes it,
     * {@code range} (Shift) selects from the last plain/toggle click to it.
     */
    public void click(int index, boolean toggle, boolean range) {
        if (index < 0 || index >= results.size()) {
            return;
        }
        if (range && anchor >= 0) {
            int from = Math.min(anchor, index);
            int to = Math.max(anchor, index);
            if (!toggle) {
                for (ResultItem item : selectedItems()) { // the selection, not every photo of a large library
                    int at = results.indexOf(item);
                    if (at < from || at > to) {
                        setSelected(item, false);
                    }
                }
            }
            for (int i = from; i <= to; i++) {
                setSelected(results.get(i), true);
            }
        } else if (toggle) {
            ResultItem item = results.get(index);
            setSelected(item, !item.isSelected());
            anchor = index;
        } else {
            for (ResultItem item : selectedItems()) {
                setSelected(item, false);
            }
            setSelected(results.get(index), true);
            anchor = index;
        }
        focused.set(results.get(index));
    }

    public void selectAll() {
        results.forEach(item -> setSelected(item, true));
    }

    public void clearSelection() {
        selectedItems().forEach(item -> setSelected(item, false));
        anchor = -1;
    }

    /** The selected results in grid order (of the browsed library: from the items it holds, none made). */
    public List<ResultItem> selectedItems() {
        return results.shown() instanceof LibraryItems library ? library.selected()
                : results.stream().filter(ResultItem::isSelected).toList();
    }

    private void setSelected(ResultItem item, boolean selected) {
        if (item.isSelected() != selected) {
            item.selectedProperty().set(selected);
            selectionCount.set(selectionCount.get() + (selected ? 1 : -1));
        }
    }

    // ---- feedback ------------------------------------------------------------------------------

    /** Marks the selected results (or the focused one when nothing is selected). */
    public void markSelected(Mark mark) {
        List<ResultItem> targets = selectedItems();
        if (targets.isEmpty() && focused.get() != null) {
            targets = List.of(focused.get());
        }
        if (targets.isEmpty()) {
            notifications.info(msg.get("search.selectToMark"));
            return;
        }
        for (ResultItem item : targets) {
            mark(item, mark);
        }
    }

    public void mark(ResultItem item, Mark mark) {
        pending.put(item.id(), mark);
        item.markProperty().set(mark);
    }

    public int pendingMarks() {
        return (int) pending.values().stream().filter(m -> m != Mark.NONE).count();
    }

    /** Turns the pending marks into a feedback round and re-ranks. */
    public void refine() {
        if (base == null) {
            notifications.info(msg.get("search.searchFirst"));
            return;
        }
        Set<Long> relevant = new HashSet<>();
        Set<Long> irrelevant = new HashSet<>();
        pending.forEach((id, mark) -> {
            if (mark == Mark.RELEVANT) {
                relevant.add(id);
            } else if (mark == Mark.NOT_RELEVANT) {
                irrelevant.add(id);
            }
        });
        if (relevant.isEmpty() && irrelevant.isEmpty()) {
            notifications.info(msg.get("search.markFirst"));
            return;
        }
        rounds.add(new Query.FeedbackRound(relevant, irrelevant));
        pending.clear();
        roundCount.set(rounds.size());
        run(currentQuery());
    }

    /** Drops the last feedback round (and any pending marks) and re-ranks. */
    public void undoRound() {
        if (rounds.isEmpty()) {
            notifications.info(msg.get("search.nothingToUndo"));
            return;
        }
        rounds.remove(rounds.size() - 1);
        pending.clear();
        roundCount.set(rounds.size());
        run(currentQuery());
    }

    /** Forgets all marks and rounds and shows the base query's results again. */
    public void clearFeedback() {
        if (base == null) {
            return;
        }
        rounds.clear();
        pending.clear();
        roundCount.set(0);
        run(base);
    }

    /** Marks from all rounds (later rounds win) overlaid with the pending ones. */
    private Map<Long, Mark> effectiveMarks() {
        Map<Long, Mark> marks = new HashMap<>();
        for (Query.FeedbackRound round : rounds) {
            round.relevant().forEach(id -> marks.put(id, Mark.RELEVANT));
            round.irrelevant().forEach(id -> marks.put(id, Mark.NOT_RELEVANT));
        }
        marks.putAll(pending);
        return marks;
    }
}
