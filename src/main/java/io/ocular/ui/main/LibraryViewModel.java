package io.ocular.ui.main;

import io.ocular.index.Indexer;
import io.ocular.model.FolderRecord;
import io.ocular.model.IndexProgress;
import io.ocular.store.Catalog;
import io.ocular.ui.common.ImageFiles;
import io.ocular.ui.common.Messages;
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
import java.util.Objects;
import java.util.Set;

/** The library sidebar: folders with counts and status; add (button, drop), remove. UI-thread methods. */
public final class LibraryViewModel {
    private final Catalog catalog;
    private final Indexer indexer;
    private final Notifications notifications;
    private final Messages msg;
    private final UiTask reading;
    private final UiTask changing;
    private final ObservableList<FolderItem> folders = FXCollections.observableArrayList();
    private final ObjectProperty<FolderItem> selected = new SimpleObjectProperty<>(this, "selected");
    private IndexProgress lastProgress = IndexProgress.idle();
    private long lastRefreshNanos = System.nanoTime();

    public LibraryViewModel(Catalog catalog, Indexer indexer, UiExecutors executors, Notifications notifications) {
        this(catalog, indexer, executors, notifications, Messages.english());
    }

    public LibraryViewModel(Catalog catalog, Indexer indexer, UiExecutors executors, Notifications notifications,
                            Messages msg) {
        this.catalog = catalog;
        this.indexer = indexer;
        this.notifications = notifications;
        this.msg = msg;
        this.reading = UiTask.latestWins(msg.get("task.readLibrary"), executors, notifications);
        this.changing = UiTask.everyRun(msg.get("task.changeLibrary"), executors, notifications);
    }

    public ObservableList<FolderItem> folders() {
        return folders;
    }

    public ObjectProperty<FolderItem> selectedProperty() {
        return selected;
    }

    /**
     * Reloads folders and counts from the catalog. Everything but publishing runs off the UI thread (the catalog
     * read, the offline check, the rows); the UI thread only replaces the rows that changed.
     */
    public void refresh() {
        IndexProgress progress = lastProgress;
        reading.supply(() -> items(catalog.folders(), progress, indexer.offlineFolders())).onSuccess(this::apply)
                .start();
    }

    private static List<FolderItem> items(List<FolderRecord> list, IndexProgress progress, Set<Path> offline) {
        List<FolderItem> items = new ArrayList<>(list.size());
        for (FolderRecord f : list) {
            items.add(new FolderItem(f, isIndexing(f, progress), offline.contains(f.path())));
        }
        return items;
    }

    private void apply(List<FolderItem> items) {
        FolderItem keep = selected.get();
        if (replaceChanged(folders, items) && keep != null) {
            selected.set(items.stream().filter(i -> i.folder().id() == keep.folder().id()).findFirst().orElse(null));
        }
    }

    /**
     * Makes {@code list} equal to {@code items} touching only what differs (each changed row replaced, the
     * tail added or removed): a refresh during indexing that changes one folder's count redraws one cell, and
     * one that changes nothing fires no change at all. Returns whether anything changed.
     */
    static <T> boolean replaceChanged(ObservableList<T> list, List<T> items) {
        boolean changed = false;
        int common = Math.min(list.size(), items.size());
        for (int i = 0; i < common; i++) {
            if (!Objects.equals(list.get(i), items.get(i))) {
                list.set(i, items.get(i));
                changed = true;
            }
        }
        if (list.size() > items.size()) {
            list.remove(items.size(), list.size());
            changed = true;
        } else if (items.size() > list.size()) {
            list.addAll(items.subList(list.size(), items.size()));
            changed = true;
        }
        return changed;
    }

    private static boolean isIndexing(FolderRecord f, IndexProgress p) {
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
            notifications.error(msg.format("library.notAFolder", folder));
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
                rejected.add(msg.format("library.dropGone", p.getFileName()));
            } else if (ImageFiles.looksLikeImage(p) && p.toAbsolutePath().getParent() != null) {
                toAdd.add(p.toAbsolutePath().normalize().getParent());
            } else {
                rejected.add(msg.format("library.dropNotImage", p.getFileName()));
            }
        }
        if (!rejected.isEmpty()) {
            notifications.error(msg.format("library.ignored",
                    String.join(", ", rejected.subList(0, Math.min(3, rejected.size()))), Math.max(0, rejected.size() - 3)));
        }
        if (!toAdd.isEmpty()) {
            addAll(List.copyOf(toAdd));
        }
    }

    private void addAll(List<Path> folders) {
        changing.run(() -> folders.forEach(indexer::addFolder)).describedAs(msg.get("task.addFolder"))
                .onSuccess(v -> notifications.info(folders.size() == 1
                        ? msg.format("library.addedOne", folders.get(0).getFileName())
                        : msg.format("library.addedMany", folders.size())))
                .onFinished(this::refresh).start();
    }

    /** Removes a folder from the library (files on disk stay). The view confirms first. */
    public void remove(FolderItem item) {
        if (item == null) {
            notifications.info(msg.get("library.selectToRemove"));
            return;
        }
        Path path = item.folder().path();
        changing.run(() -> indexer.removeFolder(path)).describedAs(msg.get("task.removeFolder"))
                .onSuccess(v -> notifications.info(msg.format("library.removed", item.name())))
                .onFinished(this::refresh).start();
    }
}
