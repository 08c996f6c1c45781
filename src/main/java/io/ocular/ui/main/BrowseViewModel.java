package io.ocular.ui.main;

import io.ocular.model.IndexProgress;
import io.ocular.store.Catalog;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The grid's home: "All photos" or one folder (with its sub-folders), newest first, read by a
 * {@link LibraryBrowser} off the UI thread and handed to the {@link SearchViewModel}, which shows it
 * whenever nothing is searched. Reloads when the scope changes, when the user returns from search results,
 * and when an indexing run changes state (new photos found, a run finished). UI-thread methods.
 */
public final class BrowseViewModel {
    /** The title of the whole library in English. */
    public static final String ALL_PHOTOS = "All photos";

    private final LibraryBrowser browser;
    private final SearchViewModel search;
    private final UiTask loading;
    private final ReadOnlyObjectWrapper<Path> scope = new ReadOnlyObjectWrapper<>(this, "scope");
    private final String allPhotos;
    private IndexProgress.State lastState;
    private boolean reading; // a read of the library is in flight
    private boolean readAgain; // asked for again meanwhile: read once more when it ends

    public BrowseViewModel(Catalog catalog, SearchViewModel search, UiExecutors executors, Notifications notifications) {
        this(catalog, search, executors, notifications, Messages.english());
    }

    public BrowseViewModel(Catalog catalog, SearchViewModel search, UiExecutors executors, Notifications notifications,
                           Messages msg) {
        this.browser = new LibraryBrowser(catalog);
        this.search = search;
        this.allPhotos = msg.get("library.allPhotos");
        this.loading = UiTask.latestWins(msg.get("task.readLibrary"), executors, notifications);
        search.setOnBrowse(this::refresh);
    }

    /** The folder shown, or null for all photos. */
    public ReadOnlyObjectProperty<Path> scopeProperty() {
        return scope.getReadOnlyProperty();
    }

    /** Shows all photos (leaving search results, if any). */
    public void showAll() {
        show(null);
    }

    /** Shows one folder and its sub-folders (leaving search results, if any); null shows all photos. */
    public void show(Path folder) {
        scope.set(folder);
        if (!search.browsingProperty().get()) {
            search.leaveResults(); // its onBrowse reloads
            return;
        }
        refresh();
    }

    /**
     * Reads the current scope again. One read at a time: asked again while one is in flight (a window opening on a
     * large library asks three times in its first seconds: the start, and indexing runs changing state), it reads
     * once more when that one ends, whatever was asked meanwhile — at 1M photos each read is seconds of CPU and
     * about 0.5 GB of items before they became a table, and three at once tripled both (issue 13).
     */
    public void refresh() {
        if (reading) {
            readAgain = true;
            return;
        }
        reading = true;
        Path folder = scope.get();
        String title = folder == null ? allPhotos
                : folder.getFileName() == null ? folder.toString() : folder.getFileName().toString();
        // read off the UI thread into primitive columns; the grid makes items for the pages it shows only
        loading.supply(() -> browser.table(folder))
                .onSuccess((PhotoTable photos) -> {
                    if (Objects.equals(folder, scope.get())) {
                        search.showLibraryTable(title, photos);
                    }
                }).onFinished(() -> {
                    reading = false;
                    if (readAgain) {
                        readAgain = false;
                        refresh();
                    }
                }).start();
    }

    /** Indexing progress (on the UI thread): reloads when a run changes state, so new photos appear. */
    public void onProgress(IndexProgress progress) {
        IndexProgress.State before = lastState;
        lastState = progress.state();
        if (before != progress.state()) {
            refresh();
        }
    }
}
