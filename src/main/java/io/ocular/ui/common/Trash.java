package io.ocular.ui.common;

import java.awt.Desktop;
import java.nio.file.Path;

/** Moves files to the desktop's trash (recoverable), never deletes outright. */
public interface Trash {

    /** Whether this desktop offers a trash Ocular can use. */
    boolean isSupported();

    /** Moves one file to the trash; returns false when the desktop refused. */
    boolean moveToTrash(Path file);

    /** {@code java.awt.Desktop.moveToTrash} where the platform supports it. */
    static Trash desktop() {
        return new Trash() {
            @Override
            public boolean isSupported() {
                try {
                    return Desktop.isDesktopSupported()
                            && Desktop.getDesktop().isSupported(Desktop.Action.MOVE_TO_TRASH);
                } catch (RuntimeException | LinkageError e) {
                    return false;
                }
            }

            @Override
            public boolean moveToTrash(Path file) {
                return isSupported() && Desktop.getDesktop().moveToTrash(file.toFile());
            }
        };
    }
}
