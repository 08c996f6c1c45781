package io.ocular.ui.compose;

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

import java.nio.file.Path;
import java.util.List;

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
    private final UiTask searching;
    private final Notifications notifications;
    private final Messages msg;
    private final int k;

    private final ReadOnlyObjectWrapper<Reference> reference = new ReadOnlyObjectWrapper<>(this, "reference");
    private final StringProperty modification = new SimpleStringProperty(this, "modification", "");
    private final DoubleProperty weight = new SimpleDoubleProperty(this, "weight", 0.5);
    private final ObservableList<SearchHit> results = FXCollections.observableArrayList();
    private final ObservableList<Turn> history = FXCollections.observableArrayList();
    private final ReadOnlyIntegerWrapper currentTurn = new ReadOnlyIntegerWrapper(this, "currentTurn", -1);

    public ComposeViewModel(SearchService search, UiExecutors executors, Notifications notifications, int k) {
        this(search, executors, notifications, k, Messages.english());
    }

    public ComposeViewModel(SearchService search, UiExecutors executors, Notifications notifications, int k,
                            Messages msg) {
        this.search = search;
        this.msg = msg;
        this.searching = UiTask.latestWins(msg.get("task.compose"), executors, notifications);
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
        currentTurn.set(-1);
        reference.set(null);
        modification.set("");
    }
}
