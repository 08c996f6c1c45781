package io.ocular.ui.common;

import java.awt.Desktop;
import java.io.IOException;
import java.nio.file.Path;

/** Opens a folder in the desktop's file manager. A seam: tests pass a fake. Called off the UI thread. */
@FunctionalInterface
public interface FolderOpener {

    /**
     * @return false when this desktop cannot open folders (the caller then shows the path instead)
     * @throws IOException when the desktop tried and failed
     */
    boolean open(Path folder) throws IOException;

    /** {@link Desktop#open} where the platform supports it (AWT, not JavaFX: JavaFX has no "open folder"). */
    static FolderOpener desktop() {
        return folder -> {
            if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                return false;
            }
            Desktop.getDesktop().open(folder.toFile());
            return true;
        };
    }
}
