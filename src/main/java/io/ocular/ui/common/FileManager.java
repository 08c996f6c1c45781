package io.ocular.ui.common;

import io.ocular.model.OcularException;
import java.awt.Desktop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** "Show in folder": asks the desktop to open the file manager at a file, off the UI thread. */
public final class FileManager {
    private FileManager() {
    }

    public static void reveal(Path file, Executor background, Executor ui, Notifications notifications,
                              Messages msg) {
        CompletableFuture.runAsync(() -> {
            if (!Files.exists(file)) {
                throw new OcularException(msg.format("file.gone", file.getFileName()));
            }
            if (!Desktop.isDesktopSupported()) {
                throw new OcularException(msg.format("reveal.unsupported", file));
            }
            Desktop d = Desktop.getDesktop();
            try {
                if (d.isSupported(Desktop.Action.BROWSE_FILE_DIR)) {
                    d.browseFileDirectory(file.toFile());
                } else if (d.isSupported(Desktop.Action.OPEN)) {
                    d.open(file.getParent().toFile());
                } else {
                    throw new OcularException(msg.format("reveal.unsupported", file));
                }
            } catch (IOException e) {
                throw new OcularException(msg.format("reveal.failed", e.getMessage()), e);
            }
        }, background).whenCompleteAsync((v, failure) -> {
            if (failure != null) {
                notifications.failure(msg.get("task.openFileManager"), failure);
            }
        }, ui);
    }
}
