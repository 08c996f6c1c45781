package io.ocular.ui.main;

import io.ocular.index.Indexer;
import io.ocular.model.FolderRecord;
import io.ocular.model.IndexProgress;
import io.ocular.store.Catalog;
import io.ocular.ui.common.ImageFiles;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The library sidebar: folders with counts and status; add (button, drop), remove. UI-thread methods. */
public final class LibraryViewModel {
    private final Catalog catalog;
    private final Indexer indexer;
    private final Notifications notifications;
    private final UiTask reading;
    private final UiTask changing;
    private final ObservableList<FolderItem> folders = FXCollections.observableArrayList();
    private final ObjectProperty<FolderItem> selected = new SimpleObjectProperty<>(this, "selected");
    private IndexProgress lastProgress = IndexProgress.idle();
    private long lastRefreshNanos = System.nanoTime();

    public LibraryViewModel(Catalog catalog, Indexer indexer, UiExecutors executors, Notifications notifications) {
        this.catalog = catalog;
        this.indexer = indexer;
        this.notifications = notifications;
        this.reading = UiTask.latestWins("Reading the library", executors, notifications);
        this.changing = UiTask.everyRun("Changing the library", executors, notifications);
    }

    public ObservableList<FolderItem> folders() {
        return folders;
    }

    public ObjectProperty<FolderItem> selectedProperty() {
        return selected;
    }

    /** Reloads folders and counts from the catalog (off the UI thread). */
    public void refresh() {
        reading.supply(catalog::folders).onSuccess(this::apply).start();
    }

    private void apply(List<FolderRecord> list) {
        FolderItem keep = selected.get();
        List<FolderItem> items = new ArrayList<>();
        Set<Path> offline = indexer.offlineFolders();
        for (FolderRecord f : list) {
            items.add(new FolderItem(f, isIndexing(f), offline.contains(f.path())));
        }
        folders.setAll(items);
        if (keep != null) {
            selected.set(items.stream().filter(i -> i.folder().id() == keep.folder().id()).findFirst().orElse(null));
        }
    }

    private boolean isIndexing(FolderRecord f) {
        IndexProgress p = lastProgress;
        boolean busy = p.state() == IndexProgress.State.SCANNING || p.state() == IndexProgress.State.INDEXING;
        return busy && p.currentFile() != null && p.currentFile().startsWith(f.path());
    }

    /** Fed by the indexing panel; refreshes counts when a run changes state or ends. */
    public void onProgress(IndexProgress progress) {
        IndexProgress before = lastProgress;
        lastProgress = progress;
        long now = System.nanoTime();
        if (before.state() != progress.state() || now - lastRefreshNanos > 2_000_000_000L) {
            lastRefreshNanos = now;
            refresh();
        }
    }

    /** Adds a folder chosen by the user. */
    public void addFolder(Path folder) {
        if (folder == null) {
            return;
        }
        if (!Files.isDirectory(folder)) {
            notifications.error(folder + " is not a folder (gone?).");
            return;
        }
        addAll(List.of(folder.toAbsolutePath().normalize()));
    }

    /**
     * Files dropped from the file manager: folders are added; image files add the folder they are in;
     * anything else is reported inline and ignored.
     */
    public void drop(List<Path> paths) {
        Set<Path> toAdd = new LinkedHashSet<>();
        List<String> rejected = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                toAdd.add(p.toAbsolutePath().normalize());
            } else if (!Files.exists(p)) {
                rejected.add(p.getFileName() + " (gone)");
            } else if (ImageFiles.looksLikeImage(p) && p.toAbsolutePath().getParent() != null) {
                toAdd.add(p.toAbsolutePath().normalize().getParent());
            } else {
                rejected.add(p.getFileName() + " (not an image or folder)");
            }
        }
        if (!rejected.isEmpty()) {
            notifications.error("Ignored " + String.join(", ", rejected.subList(0, Math.min(3, rejected.size())))
                    + (rejected.size() > 3 ? " and " + (rejected.size() - 3) + " more" : "") + ".");
        }
        if (!toAdd.isEmpty()) {
            addAll(List.copyOf(toAdd));
        }
    }

    private void addAll(List<Path> folders) {
        changing.run(() -> folders.forEach(indexer::addFolder)).describedAs("Adding a folder")
                .onSuccess(v -> notifications.info(folders.size() == 1
                        ? "Added " + folders.get(0).getFileName() + "; indexing in the background."
                        : "Added " + folders.size() + " folders; indexing in the background."))
                .onFinished(this::refresh).start();
    }

    /** Removes a folder from the library (files on disk stay). The view confirms first. */
    public void remove(FolderItem item) {
        if (item == null) {
            notifications.info("Select a folder to remove.");
            return;
        }
        Path path = item.folder().path();
        changing.run(() -> indexer.removeFolder(path)).describedAs("Removing the folder")
                .onSuccess(v -> notifications.info("Removed " + item.name()
                        + " from the library; the files stay on disk."))
                .onFinished(this::refresh).start();
    }
}
