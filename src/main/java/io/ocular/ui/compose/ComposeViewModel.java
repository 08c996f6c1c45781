package io.ocular.ui.compose;

import io.ocular.engine.ComposeLearning;
import io.ocular.model.Query;
import io.ocular.model.SearchHit;
import io.ocular.model.SearchResult;
import io.ocular.search.SearchService;
import io.ocular.ui.common.ImageFiles;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Composed retrieval: a reference image plus a modification in words ("at night", "but red"). Each search
 * is a {@link Turn}; any result can become the next turn's reference, so the user walks step by step.
 * The turns form a history (breadcrumb); stepping back to turn {@code i} shows it again, and a new search
 * from there replaces the turns after it.
 */
public final class ComposeViewModel {

    /** The image a turn starts from: a catalogued image or a dropped file, with a path to show. */
    public record Reference(Query query, Path path) {
        public static Reference of(SearchHit hit) {
            return new Reference(new Query.ByImage(hit.imageId()), hit.path());
        }

        public static Reference ofFile(Path file) {
            return new Reference(new Query.ByFile(file), file);
        }
    }

    /** One step: what was asked and what came back. */
    public record Turn(Reference reference, String modification, double weight, List<SearchHit> hits) {
        public String label() {
            return "“" + modification + "”";
        }
    }

    private final SearchService search;
    private final ComposeLearning learning;
    private final UiTask searching;
    private final UiTask marking;
    private final Notifications notifications;
    private final Messages msg;
    private final int k;

    private final ReadOnlyObjectWrapper<Reference> reference = new ReadOnlyObjectWrapper<>(this, "reference");
    private final StringProperty modification = new SimpleStringProperty(this, "modification", "");
    private final DoubleProperty weight = new SimpleDoubleProperty(this, "weight", 0.5);
    private final ObservableList<SearchHit> results = FXCollections.observableArrayList();
    private final ObservableList<Turn> history = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper currentTurn = new ReadOnlyIntegerWrapper(this, "currentTurn", -1);
    private final ObservableMap<Long, Boolean> marks = FXCollections.observableHashMap();

    public ComposeViewModel(SearchService search, UiExecutors executors, Notifications notifications, int k) {
        this(search, executors, notifications, k, Messages.english());
    }

    public ComposeViewModel(SearchService search, UiExecutors executors, Notifications notifications, int k,
                            Messages msg) {
        this(search, ComposeLearning.unavailable(), executors, notifications, k, msg);
    }

    /** @param learning keeps the user's good-match / not-a-match marks and learns from them */
    public ComposeViewModel(SearchService search, ComposeLearning learning, UiExecutors executors,
                            Notifications notifications, int k, Messages msg) {
        this.search = search;
        this.learning = learning;
        this.msg = msg;
        this.searching = UiTask.latestWins(msg.get("task.compose"), executors, notifications);
        this.marking = UiTask.everyRun(msg.get("task.composeMark"), executors, notifications);
        this.notifications = notifications;
        this.k = k;
    }

    public ReadOnlyObjectProperty<Reference> referenceProperty() {
        return reference.getReadOnlyProperty();
    }

    public StringProperty modificationProperty() {
        return modification;
    }

    /** 0 = the image only, 1 = the words only. */
    public DoubleProperty weightProperty() {
        return weight;
    }

    public ObservableList<SearchHit> results() {
        return results;
    }

    public ObservableList<Turn> history() {
        return history;
    }

    /** Index in {@link #history()} of the turn whose results are shown, -1 before the first. */
    public ReadOnlyIntegerProperty currentTurnProperty() {
        return currentTurn.getReadOnlyProperty();
    }

    /**
     * The user's verdicts on the shown results, by image id: true = a good match, false = not a match (absent:
     * unmarked). Kept per model in the catalog and learnt from (issue 19).
     */
    public ObservableMap<Long, Boolean> marks() {
        return marks;
    }

    /**
     * Marks a result of the shown turn as a good match ({@code true}), not a match ({@code false}), or takes the
     * mark back ({@code null}). Only a library photo as the reference can teach (a dropped file is not in the
     * catalog): otherwise the user is told so and nothing is kept.
     */
    public void mark(SearchHit hit, Boolean relevant) {
        int index = currentTurn.get();
        if (hit == null || index < 0 || index >= history.size()) {
            return;
        }
        Turn turn = history.get(index);
        if (!(turn.reference().query() instanceof Query.ByImage ref)) {
            notifications.info(msg.get("compose.markNeedsLibraryPhoto"));
            return;
        }
        marking.supply(() -> {
            learning.mark(ref.imageId(), turn.modification(), turn.weight(), hit.imageId(), relevant);
            return learning.status();
        }).onSuccess((ComposeLearning.Status status) -> {
            if (currentTurn.get() == index && history.size() > index && history.get(index) == turn) {
                if (relevant == null) {
                    marks.remove(hit.imageId());
                } else {
                    marks.put(hit.imageId(), relevant);
                }
            }
            if (Boolean.TRUE.equals(relevant)) {
                notifications.info(status.relevantMarks() < status.needed()
                        ? msg.format("compose.markedCount", status.relevantMarks(), status.needed())
                        : msg.get("compose.markedLearning"));
            }
        }).start();
    }

    /** Loads the marks of the shown turn's results. */
    private void loadMarks(Turn turn) {
        marks.clear();
        if (!(turn.reference().query() instanceof Query.ByImage ref)) {
            return;
        }
        int index = currentTurn.get();
        marking.supply(() -> learning.marks(ref.imageId(), turn.modification())).onSuccess((Map<Long, Boolean> m) -> {
            if (currentTurn.get() == index && history.size() > index && history.get(index) == turn) {
                marks.putAll(m);
            }
        }).start();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return searching.busyProperty();
    }

    /** Starts over from a result of the main search (or any hit). */
    public void useReference(SearchHit hit) {
        reference.set(Reference.of(hit));
    }

    /** Starts from a dropped file. */
    public void useReferenceFile(Path file) {
        String problem = ImageFiles.problemWithQueryImage(file, msg);
        if (problem != null) {
            notifications.error(problem);
            return;
        }
        reference.set(Reference.ofFile(file));
    }

    /** Takes a result of the current turn as the next reference; the user then types a further change. */
    public void continueFrom(SearchHit hit) {
        reference.set(Reference.of(hit));
        modification.set("");
        notifications.info(msg.get("compose.describeNext"));
    }

    /** Runs a turn: reference + modification; truncates any turns after the current one. */
    public void search() {
        Reference ref = reference.get();
        String text = modification.get() == null ? "" : modification.get().strip();
        if (ref == null) {
            notifications.error(msg.get("compose.pickReference"));
            return;
        }
        if (text.isEmpty()) {
            notifications.error(msg.get("compose.describeChange"));
            return;
        }
        double w = Math.max(0, Math.min(1, weight.get()));
        Query query = new Query.Composed(ref.query(), text, w);
        int from = currentTurn.get();
        searching.supply(() -> search.search(query, k))
                .onSuccess((SearchResult result) -> {
                    if (from + 1 < history.size()) {
                        history.remove(from + 1, history.size());
                    }
                    history.add(new Turn(ref, text, w, result.hits()));
                    currentTurn.set(history.size() - 1);
                    results.setAll(result.hits());
                    loadMarks(history.get(history.size() - 1));
                    if (result.notice() != null && !result.notice().isBlank()) {
                        notifications.info(result.notice());
                    }
                }).start();
    }

    /** Steps back (or forward) to turn {@code index}: shows its reference, words and results. */
    public void goTo(int index) {
        if (index < 0 || index >= history.size()) {
            return;
        }
        searching.supersede();
        Turn turn = history.get(index);
        currentTurn.set(index);
        reference.set(turn.reference());
        modification.set(turn.modification());
        weight.set(turn.weight());
        results.setAll(turn.hits());
        loadMarks(turn);
    }

    /** Steps back one turn. */
    public void back() {
        goTo(currentTurn.get() - 1);
    }

    /** Forgets the walk. */
    public void reset() {
        searching.supersede();
        history.clear();
        results.clear();
        marks.clear();
        currentTurn.set(-1);
        reference.set(null);
        modification.set("");
    }
}
