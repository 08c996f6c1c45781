package io.ocular.ui.help;

import io.ocular.ui.common.AppInfo;
import io.ocular.ui.common.FolderOpener;
import io.ocular.ui.common.Messages;
import io.ocular.ui.common.Notifications;
import io.ocular.ui.common.UiExecutors;
import io.ocular.ui.common.UiTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableStringValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Help menu: "Show logs" opens the logs folder in the file manager, or, where the desktop cannot (or
 * fails to), puts its path in {@link #logsPathToCopyProperty()} for the view to show in a copyable field;
 * "About Ocular" lists the version, data folder and active model.
 */
public final class HelpViewModel {
    private final AppInfo app;
    private final ObservableStringValue activeModel;
    private final FolderOpener opener;
    private final UiTask opening;
    private final Notifications notifications;
    private final Messages msg;
    private final ReadOnlyStringWrapper logsPathToCopy = new ReadOnlyStringWrapper(this, "logsPathToCopy");

    /**
     * @param activeModel the active model's name as the window shows it (it changes when the user switches)
     */
    public HelpViewModel(AppInfo app, ObservableStringValue activeModel, FolderOpener opener, UiExecutors executors,
                         Notifications notifications) {
        this(app, activeModel, opener, executors, notifications, Messages.english());
    }

    public HelpViewModel(AppInfo app, ObservableStringValue activeModel, FolderOpener opener, UiExecutors executors,
                         Notifications notifications, Messages msg) {
        this.msg = Objects.requireNonNull(msg, "msg");
        this.app = Objects.requireNonNull(app, "app");
        this.activeModel = Objects.requireNonNull(activeModel, "activeModel");
        this.opener = Objects.requireNonNull(opener, "opener");
        this.opening = UiTask.everyRun(msg.get("task.openLogs"), Objects.requireNonNull(executors, "executors"),
                Objects.requireNonNull(notifications, "notifications"));
        this.notifications = Objects.requireNonNull(notifications, "notifications");
    }

    /** The logs folder's path while the view should show it for copying (the desktop could not open it), else null. */
    public ReadOnlyStringProperty logsPathToCopyProperty() {
        return logsPathToCopy.getReadOnlyProperty();
    }

    /** The view closed the path dialog. */
    public void logsPathShown() {
        logsPathToCopy.set(null);
    }

    /** "Show logs". */
    public void showLogs() {
        Path logs = app.logsDir();
        opening.supply(() -> {
            try {
                Files.createDirectories(logs); // opening a folder that does not exist yet fails on every desktop
                return opener.open(logs);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).onSuccess(opened -> {
            if (!opened) {
                logsPathToCopy.set(logs.toString());
            }
        }).onFailure(failure -> {
            notifications.error(msg.format("help.logsFailed", logs));
            logsPathToCopy.set(logs.toString());
        }).start();
    }

    /** "About Ocular": label/value lines, in order. */
    public Map<String, String> about() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(msg.get("help.version"), app.version());
        m.put(msg.get("help.activeModel"),
                activeModel.get() == null || activeModel.get().isBlank() ? "—" : activeModel.get());
        m.put(msg.get("settings.dataFolder"), app.dataDir().toString());
        m.put(msg.get("settings.logs"), app.logsDir().toString());
        m.put("Java", msg.format("help.java", System.getProperty("java.version"), System.getProperty("os.name"),
                System.getProperty("os.arch")));
        return m;
    }

    public String version() {
        return app.version();
    }
}
