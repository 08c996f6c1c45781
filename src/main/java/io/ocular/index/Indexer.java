package io.ocular.index;

import io.ocular.model.IndexProgress;
import io.ocular.model.ModelInfo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The background indexing daemon as the front ends see it. All methods return at once; the work happens
 * on the daemon's own threads and is reported through {@link IndexListener}s.
 */
public interface Indexer extends AutoCloseable {

    /** Adds a library folder (or a folder already inside one: no double indexing) and schedules a scan. */
    void addFolder(Path folder);

    /** Removes a library folder and its images from the catalog (files on disk are untouched). */
    void removeFolder(Path folder);

    /** Schedules an incremental pass over all library folders (new, changed, moved, deleted files). */
    void rescan();

    /**
     * Schedules an incremental pass over one folder and everything below it, inside the library (what the
     * folder watcher asks for; a burst of requests for one folder is coalesced into one pending pass).
     */
    void rescan(Path subtree);

    /**
     * Runs the follow-up passes (derived data such as local features) over images that still lack their data,
     * without scanning folders, e.g. right after the user turned such a feature on. A no-op without passes.
     */
    void runFollowUpPasses();

    /**
     * Stores a catalog setting through the indexer's writer (the catalog's one writer) and waits until it is
     * committed; a null value removes it. For user settings changed while the indexer may be running.
     *
     * @throws io.ocular.model.OcularException when the indexer is shut down (the setting is not saved)
     */
    void putSetting(String key, String value);

    /**
     * Records a model switch in the catalog through the indexer's writer and waits until it is committed:
     * registers {@code model} (its vectors are keyed by it) and makes it the active model. The engine calls
     * this once the new model's encoders are open, then {@link #rescan()} so images get its vectors.
     *
     * @throws io.ocular.model.OcularException when the indexer is shut down (nothing is written)
     */
    void activateModel(ModelInfo model);

    void pause();

    void resume();

    /** Cancels the current run; finished work is kept. */
    void cancel();

    IndexProgress progress();

    void addListener(IndexListener listener);

    void removeListener(IndexListener listener);

    /**
     * Library folders the last scan could not reach (a disconnected drive, an empty mount point): their photos
     * are kept, and a later scan that finds the folder again clears it.
     */
    default Set<Path> offlineFolders() {
        return Set.of();
    }

    /** Blocks until no work is pending or running (CLI, tests); returns false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** Stops the daemon threads; committed work stays in the catalog. */
    @Override
    void close();
}
