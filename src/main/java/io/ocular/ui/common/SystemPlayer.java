package io.ocular.ui.common;

import io.ocular.model.OcularException;

import java.awt.Desktop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a video in the system's own player, for what the window cannot play itself (HEVC, MKV, MOV...). The
 * file is handed over as a file (AWT {@link Desktop#open}), never through a shell command line.
 */
@FunctionalInterface
public interface SystemPlayer {

    /**
     * Opens {@code video}; blocking (call it off the FX thread).
     *
     * @throws OcularException with a message for the user when it cannot
     */
    void open(Path video);

    /** The desktop's default application for the file. */
    static SystemPlayer desktop() {
        return video -> {
            if (!Files.exists(video)) {
                throw new OcularException("The video " + video.getFileName() + " is gone (moved or deleted?).");
            }
            if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                throw new OcularException("This desktop cannot open a video player; the video is at " + video);
            }
            try {
                Desktop.getDesktop().open(video.toFile());
            } catch (IOException | RuntimeException e) {
                throw new OcularException("Could not open a video player for " + video.getFileName() + ": "
                        + e.getMessage(), e);
            }
        };
    }
}
