package io.ocular.ui.main;

import io.ocular.model.ImageRecord;
import io.ocular.store.Catalog;
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
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The viewer pane: the focused result's path, size, date and EXIF details (read off the UI thread), and for a
 * photo that matched the example only when the example was turned, the suggestion to see it upright. Taking the
 * suggestion turns the picture in the viewer; the file is never changed.
 */
public final class ViewerViewModel {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final Catalog catalog;
    private final UiTask reading;
    private final Function<Path, List<Map.Entry<String, String>>> exif;
    private final ReadOnlyObjectWrapper<ResultItem> item = new ReadOnlyObjectWrapper<>(this, "item");
    private final ObservableList<Map.Entry<String, String>> details = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper uprightSuggestion = new ReadOnlyStringWrapper(this, "uprightSuggestion");
    private final ReadOnlyIntegerWrapper shownRotation = new ReadOnlyIntegerWrapper(this, "shownRotation");

    public ViewerViewModel(Catalog catalog, UiExecutors executors,
                           Function<Path, List<Map.Entry<String, String>>> exif) {
        this.catalog = catalog;
        // failures are shown in the details table, not as a notice, so the notice bar is this pane's own
        this.reading = UiTask.latestWins("Reading details", executors, new Notifications());
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
                : "This photo looks sideways: it matches your example turned " + 90 * result.turns()
                + "° clockwise. Rotating it upright is only a suggestion; your file is not changed.");
        details.clear();
        if (result == null) {
            return;
        }
        Path path = result.hit().path();
        reading.supply(() -> read(result))
                .onSuccess(details::setAll)
                .onFailure(failure -> details.setAll(List.of(Map.entry("Path", path.toString()),
                        Map.entry("Details", "unavailable (" + failure + ")"))))
                .start();
    }

    private List<Map.Entry<String, String>> read(ResultItem result) {
        Path path = result.hit().path();
        List<Map.Entry<String, String>> rows = new ArrayList<>();
        rows.add(Map.entry("File", String.valueOf(path.getFileName())));
        rows.add(Map.entry("Folder", String.valueOf(path.getParent())));
        rows.add(Map.entry("Score", String.format(Locale.ROOT, "%.4f", result.hit().score())));
        if (!Files.exists(path)) {
            rows.add(Map.entry("Status", "file is gone (moved or deleted)"));
            return rows;
        }
        ImageRecord record = catalog.image(result.id()).orElse(null);
        if (record != null) {
            if (record.width() > 0) {
                rows.add(Map.entry("Size", record.width() + " × " + record.height() + " px"));
            }
            rows.add(Map.entry("File size", humanBytes(record.size())));
            if (record.takenAt() != null) {
                rows.add(Map.entry("Taken", DATE.format(record.takenAt())));
            }
        }
        try {
            rows.addAll(exif.apply(path));
        } catch (RuntimeException e) {
            rows.add(Map.entry("EXIF", "unreadable"));
        }
        return rows;
    }

    static String humanBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
    }
}
