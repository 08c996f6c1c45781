package io.ocular.ui.main;

import io.ocular.model.ImageRecord;
import io.ocular.store.Catalog;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The viewer pane: the focused result's path, size, date and EXIF details (read off the UI thread), and for a
 * photo that matched the example only when the example was turned, the suggestion to see it upright. Taking the
 * suggestion turns the picture in the viewer; the file is never changed.
 */
public final class ViewerViewModel {
    private final Catalog catalog;
    private final Messages msg;
    private final UiTask reading;
    private final Function<Path, List<Map.Entry<String, String>>> exif;
    private final ReadOnlyObjectWrapper<ResultItem> item = new ReadOnlyObjectWrapper<>(this, "item");
    private final ObservableList<Map.Entry<String, String>> details = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper uprightSuggestion = new ReadOnlyStringWrapper(this, "uprightSuggestion");
    private final ReadOnlyIntegerWrapper shownRotation = new ReadOnlyIntegerWrapper(this, "shownRotation");

    public ViewerViewModel(Catalog catalog, UiExecutors executors,
                           Function<Path, List<Map.Entry<String, String>>> exif) {
        this(catalog, executors, exif, Messages.english());
    }

    /** @param exif photo details; labels that are message keys ({@code exif.camera}) are shown in the window's words */
    public ViewerViewModel(Catalog catalog, UiExecutors executors,
                           Function<Path, List<Map.Entry<String, String>>> exif, Messages msg) {
        this.catalog = catalog;
        this.msg = msg;
        // failures are shown in the details table, not as a notice, so the notice bar is this pane's own
        this.reading = UiTask.latestWins(msg.get("task.readDetails"), executors, new Notifications(msg));
        this.exif = exif;
    }

    public ReadOnlyObjectProperty<ResultItem> itemProperty() {
        return item.getReadOnlyProperty();
    }

    public ObservableList<Map.Entry<String, String>> details() {
        return details;
    }

    /**
     * "This photo looks sideways" with what to do, while the shown photo matched the example only turned and is
     * not yet shown upright; null otherwise.
     */
    public ReadOnlyStringProperty uprightSuggestionProperty() {
        return uprightSuggestion.getReadOnlyProperty();
    }

    /** Degrees clockwise the viewer turns the picture (0 unless the user took the suggestion). */
    public ReadOnlyIntegerProperty shownRotationProperty() {
        return shownRotation.getReadOnlyProperty();
    }

    /**
     * Takes the suggestion: the picture is shown upright, i.e. turned back by the turns the example needed (the
     * example is taken to be upright). Only the view turns; the file is not changed.
     */
    public void showUpright() {
        ResultItem shown = item.get();
        if (shown == null || shown.turns() == 0) {
            return;
        }
        shownRotation.set(Math.floorMod(-90 * shown.turns(), 360));
        uprightSuggestion.set(null);
    }

    /** Shows a result (null clears the viewer). */
    public void show(ResultItem result) {
        reading.supersede();
        item.set(result);
        shownRotation.set(0);
        uprightSuggestion.set(result == null || result.turns() == 0 ? null
                : msg.format("viewer.sideways", 90 * result.turns()));
        details.clear();
        if (result == null) {
            return;
        }
        Path path = result.hit().path();
        reading.supply(() -> read(result))
                .onSuccess(details::setAll)
                .onFailure(failure -> details.setAll(List.of(Map.entry(msg.get("viewer.path"), path.toString()),
                        Map.entry(msg.get("viewer.details"), msg.format("viewer.unavailable", String.valueOf(failure))))))
                .start();
    }

    private List<Map.Entry<String, String>> read(ResultItem result) {
        Path path = result.hit().path();
        List<Map.Entry<String, String>> rows = new ArrayList<>();
        rows.add(Map.entry(msg.get("viewer.file"), String.valueOf(path.getFileName())));
        rows.add(Map.entry(msg.get("viewer.folder"), String.valueOf(path.getParent())));
        if (!Float.isNaN(result.hit().score())) {
            rows.add(Map.entry(msg.get("viewer.score"), msg.decimal(result.hit().score(), 4)));
        }
        if (!Files.exists(path)) {
            rows.add(Map.entry(msg.get("viewer.status"), msg.get("viewer.gone")));
            return rows;
        }
        ImageRecord record = catalog.image(result.id()).orElse(null);
        if (record != null) {
            if (record.width() > 0) {
                rows.add(Map.entry(msg.get("viewer.size"), msg.format("viewer.pixels", record.width(), record.height())));
            }
            rows.add(Map.entry(msg.get("viewer.fileSize"), msg.bytes(record.size())));
            if (record.takenAt() != null) {
                rows.add(Map.entry(msg.get("viewer.taken"), msg.dateTime(record.takenAt(), ZoneId.systemDefault())));
            }
        }
        try {
            for (Map.Entry<String, String> row : exif.apply(path)) {
                rows.add(row.getKey().startsWith("exif.") ? Map.entry(msg.get(row.getKey()), row.getValue()) : row);
            }
        } catch (RuntimeException e) {
            rows.add(Map.entry("EXIF", msg.get("viewer.unreadable")));
        }
        return rows;
    }
}
