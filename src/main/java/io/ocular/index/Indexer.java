package io.ocular.index;

import io.ocular.model.IndexProgress;

import java.nio.file.Path;
import java.time.Duration;

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

    void pause();

    void resume();

    /** Cancels the current run; finished work is kept. */
    void cancel();

    IndexProgress progress();

    void addListener(IndexListener listener);

    void removeListener(IndexListener listener);

    /** Blocks until no work is pending or running (CLI, tests); returns false on timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** Stops the daemon threads; committed work stays in the catalog. */
    @Override
    void close();
}
