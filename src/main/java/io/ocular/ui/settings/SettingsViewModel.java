package io.ocular.ui.settings;

import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.FolderOpener;
import io.ocular.ui.common.InstanceSearchSwitch;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiSettings;
import io.ocular.ui.common.UiLanguage;
import io.ocular.ui.common.UiTask;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Settings page: instance search on or off, the grid's thumbnail size (kept between runs), the data
 * folder with how much it holds, and where the logs are. UI-thread methods; the engine is asked and the
 * folder measured in the background.
 */
public final class SettingsViewModel {
    static final String THUMBNAIL_SIZE = "ui.grid.thumbnailSize";
    public static final int MIN_THUMBNAIL = 96;
    public static final int MAX_THUMBNAIL = 320;
    public static final int DEFAULT_THUMBNAIL = 156;

    private final UiSettings settings;
    private final AppInfo app;
    private final FolderOpener folders;
    private final Notifications notifications;
    private final UiTask measuring;
    private final UiTask opening;
    private final InstanceSearchSwitch instance;
    private final UiTask switching;
    private final BooleanProperty instanceSearch = new SimpleBooleanProperty(this, "instanceSearch");
    private boolean loadingInstance;
    private final IntegerProperty thumbnailSize = new SimpleIntegerProperty(this, "thumbnailSize", DEFAULT_THUMBNAIL);
    private final ReadOnlyStringWrapper dataFolderSize = new ReadOnlyStringWrapper(this, "dataFolderSize", "…");
    private final ObjectProperty<UiLanguage> language = new SimpleObjectProperty<>(this, "language");
    private final Messages msg;

    public SettingsViewModel(UiSettings settings, AppInfo app, FolderOpener folders, InstanceSearchSwitch instance,
                             UiExecutors executors, Notifications notifications) {
        this(settings, app, folders, instance, executors, notifications, Messages.english());
    }

    public SettingsViewModel(UiSettings settings, AppInfo app, FolderOpener folders, InstanceSearchSwitch instance,
                             UiExecutors executors, Notifications notifications, Messages msg) {
        this.settings = settings;
        this.instance = instance;
        this.msg = msg;
        this.switching = UiTask.everyRun(msg.get("task.instanceSearch"), executors, notifications);
        language.set(UiLanguage.load(settings));
        language.addListener((obs, o, n) -> {
            if (n != null && n != o) {
                n.save(settings);
                notifications.info(msg.get("settings.languageRestart"));
            }
        });
        instanceSearch.addListener((obs, o, on) -> {
            if (!loadingInstance) {
                switchInstanceSearch(on);
            }
        });
        this.app = app;
        this.folders = folders;
        this.notifications = notifications;
        this.measuring = UiTask.latestWins(msg.get("task.measureData"), executors, notifications);
        this.opening = UiTask.everyRun(msg.get("task.openFolder"), executors, notifications);
        int saved = settings.get(THUMBNAIL_SIZE).map(SettingsViewModel::parse).orElse(DEFAULT_THUMBNAIL);
        thumbnailSize.set(clamp(saved));
        thumbnailSize.addListener((obs, o, n) -> {
            int v = clamp(n.intValue());
            if (v != n.intValue()) {
                thumbnailSize.set(v);
            } else {
                settings.put(THUMBNAIL_SIZE, Integer.toString(v));
            }
        });
    }

    /**
     * The window's language (System, English, 한국어): saved at once, used from the next start (the window's
     * words are read once, when it opens).
     */
    public ObjectProperty<UiLanguage> languageProperty() {
        return language;
    }

    /** The words of the window now (the Settings row shows the choices in them). */
    public Messages messages() {
        return msg;
    }

    /**
     * Instance search ("find this object"): local features of every photo, verified matches. Setting it asks
     * the engine; when the engine refuses (no photo model), the switch goes back and the reason is shown.
     */
    public BooleanProperty instanceSearchProperty() {
        return instanceSearch;
    }

    private void switchInstanceSearch(boolean on) {
        switching.run(() -> instance.set(on)).onSuccess(v -> notifications.info(on
                ? msg.get("settings.instanceOn")
                : msg.get("settings.instanceOff"))).onFailure(e -> {
                    setQuietly(!on);
                    notifications.failure(msg.get("task.instanceSearch"), e);
                }).start();
    }

    private void setQuietly(boolean on) {
        loadingInstance = true;
        try {
            instanceSearch.set(on);
        } finally {
            loadingInstance = false;
        }
    }

    /** Size in pixels of a grid cell's thumbnail; saved when changed. */
    public IntegerProperty thumbnailSizeProperty() {
        return thumbnailSize;
    }

    public Path dataFolder() {
        return app.dataDir();
    }

    public Path logsFolder() {
        return app.logsDir();
    }

    /** "1.2 GB in 3,456 files", or "…" while measuring. */
    public ReadOnlyStringProperty dataFolderSizeProperty() {
        return dataFolderSize.getReadOnlyProperty();
    }

    /** Measures the data folder again (off the UI thread). */
    public void refresh() {
        switching.supply(instance::isOn).onSuccess(this::setQuietly).start();
        dataFolderSize.set("…");
        measuring.supply(() -> measure(app.dataDir(), msg)).onSuccess(dataFolderSize::set).onFailure(e -> {
            dataFolderSize.set(msg.get("settings.sizeUnknown"));
            notifications.error(msg.format("settings.measureFailed", app.dataDir(), e.getMessage()));
        }).start();
    }

    public void openDataFolder() {
        open(app.dataDir());
    }

    public void openLogsFolder() {
        open(app.logsDir());
    }

    private void open(Path folder) {
        opening.supply(() -> {
            try {
                return folders.open(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).onSuccess(opened -> {
            if (!opened) {
                notifications.info(msg.format("settings.folderIs", folder));
            }
        }).describedAs(msg.format("task.opening", folder)).start();
    }

    static String measure(Path dir, Messages msg) {
        if (!Files.isDirectory(dir)) {
            return msg.get("settings.dataEmpty");
        }
        AtomicLong bytes = new AtomicLong();
        AtomicLong files = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    bytes.addAndGet(attrs.size());
                    files.incrementAndGet();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // a file that vanished or is unreadable is not counted
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return msg.format("settings.dataSize", msg.bytes(bytes.get()), files.get());
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return DEFAULT_THUMBNAIL;
        }
    }

    private static int clamp(int v) {
        return Math.max(MIN_THUMBNAIL, Math.min(MAX_THUMBNAIL, v));
    }
}
