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

    /** The desktop's default application for the file, in English (tests, demos). */
    static SystemPlayer desktop() {
        return desktop(Messages.english());
    }

    /** The desktop's default application for the file; what goes wrong is said in {@code msg}'s words. */
    static SystemPlayer desktop(Messages msg) {
        return video -> {
            if (!Files.exists(video)) {
                throw new OcularException(msg.format("video.gone", video.getFileName()));
            }
            if (!Desktop.isDesktopSupported() || !Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                throw new OcularException(msg.format("video.noPlayer", video));
            }
            try {
                Desktop.getDesktop().open(video.toFile());
            } catch (IOException | RuntimeException e) {
                throw new OcularException(msg.format("video.playerFailed", video.getFileName(), e.getMessage()), e);
            }
        };
    }
}
