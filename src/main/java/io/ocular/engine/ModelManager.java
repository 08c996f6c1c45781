package io.ocular.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleConsumer;

/**
 * The model catalogue as the window sees it. A small seam of the UI's own: the app adapts the engine's
 * model store/downloader to it. Blocking methods are called on background threads.
 */
public interface ModelManager {

    /**
     * One model the user can have.
     *
     * @param sizeBytes download size (0 for the built-in descriptor)
     * @param enables   what it adds, in the user's words ("search by words, composed queries")
     */
    record Entry(String id, String name, long sizeBytes, String enables, boolean installed, boolean active,
                 boolean builtIn, boolean text) {
    }

    List<Entry> catalogue();

    /** Whether the download source can be reached now. */
    boolean networkAvailable();

    /**
     * Downloads and verifies a model, reporting progress 0..1. Blocks.
     *
     * @throws io.ocular.model.OcularException with a message to show (no network, checksum mismatch, ...)
     */
    void download(String id, DoubleConsumer progress);

    /** Imports a model file or folder the user already has; returns its entry. */
    Entry importModel(Path source);

    /** Makes a model the one searches use (images without its vectors are re-embedded in the background). */
    void activate(String id);
}
